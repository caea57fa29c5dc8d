using System.Globalization;
using SecureHeaders.Headers;

namespace SecureHeaders.Analysis.Checks;

/// <summary>HTTPS availability, certificates, the HTTP→HTTPS redirect and HSTS (RFC 6797).</summary>
internal static class TransportChecks
{
    private const long OneYear = 31536000;
    private const long SixMonths = 15552000;

    public static void Run(CheckContext c)
    {
        var site = c.Site;
        if (site.Https is null)
        {
            c.Add("https-not-available", FindingSeverity.High, "transport",
                "The site does not answer over HTTPS" + (site.HttpsError is null ? "." : $" ({site.HttpsError})."),
                "Serve the site over HTTPS and redirect plain HTTP to it.", OptionPaths.HttpsRedirection);
        }
        else if (site.Https.TlsVerified == false)
        {
            c.Add("tls-certificate-unverified", FindingSeverity.High, "transport",
                site.InsecureRequested
                    ? "Certificate verification was switched off (--insecure), so this scan cannot vouch for the certificate; browsers would reject an invalid one and ignore HSTS."
                    : "The HTTPS certificate could not be verified (expired, self-signed, wrong host or unknown issuer); browsers warn and ignore HSTS.",
                site.InsecureRequested ? "Scan again without --insecure, or with --ca-cert for a private CA." : "Install a certificate from a trusted CA that covers this host name, with its full chain.");
        }

        if (site.Http is { } http)
        {
            var route = http.RedirectChain.Select(static h => h.Url).Append(http.Url ?? site.Target).ToList();
            if (route.Count == 1 && route[0].Scheme == Uri.UriSchemeHttp)
            {
                c.Add("http-not-redirected", FindingSeverity.High, "transport",
                    "Plain HTTP serves the page instead of redirecting to HTTPS, so users who type the address are exposed to network attackers.",
                    "Answer every plain-HTTP request with a 301/308 redirect to the same URL over HTTPS.", OptionPaths.HttpsRedirection, evidence: route[0].AbsoluteUri);
            }
            else if (route[^1].Scheme != Uri.UriSchemeHttps)
            {
                c.Add("http-redirect-not-to-https", FindingSeverity.High, "transport",
                    "The redirects from plain HTTP never reach HTTPS.", "Redirect to the https:// URL.", OptionPaths.HttpsRedirection,
                    evidence: string.Join(" -> ", route.Select(static u => u.AbsoluteUri)));
            }
            else if (route.Count > 1 && route[1].Scheme == Uri.UriSchemeHttp)
            {
                c.Add("http-redirect-to-http-first", FindingSeverity.Medium, "transport",
                    "The first redirect from plain HTTP goes to another plain-HTTP URL, so HSTS for this host is never set on that hop.",
                    "Make the first redirect go to https:// on the same host, then redirect further if needed.", OptionPaths.HttpsRedirection,
                    evidence: string.Join(" -> ", route.Select(static u => u.AbsoluteUri)));
            }
            else if (route.Count > 1 && route[0].Host != route[1].Host)
            {
                c.Add("http-redirect-off-host", FindingSeverity.Low, "transport",
                    "The first redirect from plain HTTP goes to another host, so the browser never receives HSTS for this host.",
                    "Redirect http://host/ to https://host/ first (same host), then to the other host.", OptionPaths.HttpsRedirection,
                    evidence: string.Join(" -> ", route.Select(static u => u.AbsoluteUri)));
            }
        }

        CheckHsts(c);
    }

    private static void CheckHsts(CheckContext c)
    {
        var https = c.Site.Https;
        var plainValues = c.Site.Https is null ? c.Response.GetValues("Strict-Transport-Security") : [];
        if (plainValues.Count > 0)
        {
            c.Add("hsts-over-http-ignored", FindingSeverity.Info, "hsts",
                "Strict-Transport-Security received over plain HTTP is ignored by browsers (RFC 6797 §8.1); it only counts over HTTPS.",
                header: "Strict-Transport-Security", evidence: plainValues[0]);
        }

        if (https is null)
        {
            return;
        }

        var values = https.GetValues("Strict-Transport-Security");
        if (values.Count == 0)
        {
            c.Add("hsts-missing", FindingSeverity.High, "hsts",
                "No Strict-Transport-Security header: after the first visit, browsers still try plain HTTP, where a network attacker can intercept or strip TLS.",
                "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on HTTPS responses.", OptionPaths.Hsts, "Strict-Transport-Security");
            return;
        }

        if (values.Count > 1)
        {
            c.Add("hsts-duplicated", FindingSeverity.Low, "hsts",
                $"Strict-Transport-Security is sent {values.Count} times. Browsers use only the first (RFC 6797 §8.1), but the Observatory sees one comma-joined value and grades it hsts-header-invalid (-20).",
                "Send the header once; check that the app and a proxy do not both add it.", OptionPaths.Hsts, "Strict-Transport-Security", string.Join(" | ", values));
        }

        var parsed = StrictTransportSecurityHeader.Parse(values[0]);
        if (parsed.Value is not { } hsts)
        {
            var observatoryPasses = c.Observatory["strict-transport-security"]?.Pass == true;
            c.Add("hsts-invalid", FindingSeverity.High, "hsts",
                string.Join(" ", parsed.Diagnostics.Select(static d => d.Message)) + " Browsers ignore the header (RFC 6797 §8.1)."
                    + (observatoryPasses ? " The Observatory passes this value because it reads max-age with parseInt; browsers do not." : string.Empty),
                "Write Strict-Transport-Security: max-age=31536000; includeSubDomains.", OptionPaths.HstsMaxAge, "Strict-Transport-Security", values[0]);
            return;
        }

        var maxAge = hsts.MaxAge;
        if (maxAge == 0)
        {
            c.Add("hsts-max-age-zero", FindingSeverity.High, "hsts",
                "max-age=0 tells browsers to forget HSTS for this host (RFC 6797 §6.1.1).",
                "Use max-age=31536000 (one year) or more.", OptionPaths.HstsMaxAge, "Strict-Transport-Security", values[0]);
        }
        else if (maxAge < SixMonths)
        {
            c.Add("hsts-max-age-too-short", FindingSeverity.Medium, "hsts",
                $"max-age is {Days(maxAge)}; protection lapses for returning visitors who stay away longer, and the Observatory expects at least 180 days.",
                "Use max-age=31536000 (one year) or more.", OptionPaths.HstsMaxAge, "Strict-Transport-Security", values[0]);
        }
        else if (maxAge < OneYear)
        {
            c.Add("hsts-max-age-below-one-year", FindingSeverity.Low, "hsts",
                $"max-age is {Days(maxAge)}; OWASP recommends two years and the preload list requires at least one.",
                "Use max-age=63072000 (two years) once HTTPS is stable on every subdomain.", OptionPaths.HstsMaxAge, "Strict-Transport-Security", values[0]);
        }

        if (!hsts.IncludeSubDomains && maxAge > 0)
        {
            c.Add("hsts-no-include-subdomains", FindingSeverity.Low, "hsts",
                "includeSubDomains is missing, so an attacker can use a plain-HTTP subdomain to set cookies for this site.",
                "Add includeSubDomains once every subdomain serves HTTPS.", OptionPaths.HstsIncludeSubDomains, "Strict-Transport-Security", values[0]);
        }

        if (hsts.Preload && (!hsts.IncludeSubDomains || maxAge < OneYear))
        {
            c.Add("hsts-preload-requirements-unmet", FindingSeverity.Low, "hsts",
                "preload is set, but the preload list requires max-age of at least 31536000 and includeSubDomains.",
                "Use max-age=63072000; includeSubDomains; preload, or drop preload.", OptionPaths.HstsPreload, "Strict-Transport-Security", values[0]);
        }
    }

    private static string Days(long seconds) =>
        seconds >= 86400 ? (seconds / 86400).ToString(CultureInfo.InvariantCulture) + " days" : seconds.ToString(CultureInfo.InvariantCulture) + " seconds";
}
