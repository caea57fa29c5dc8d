using System.Collections.Immutable;

namespace SecureHeaders.Analysis;

/// <summary>How a saved header set is imagined to be served when it is graded offline.</summary>
public enum OfflineTransport
{
    /// <summary>Over HTTPS with a valid certificate, plain HTTP answering 301 to the HTTPS URL (a correct deployment).</summary>
    Https,

    /// <summary>Over plain HTTP only, no TLS at all (like a development server without HTTPS).</summary>
    Http,
}

/// <summary>
/// Everything fetched for one site: the final <c>https://</c> and <c>http://</c> responses (each with the redirect chain
/// that led to it), why a scheme gave no response, and how the fetch was configured. This is the input of the
/// Observatory-compatible grader and of our own checks.
/// </summary>
public sealed class SiteSnapshot
{
    /// <summary>The body the reference server sends when a header set has none: a tiny page with no scripts.</summary>
    public const string DefaultHtmlBody = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>anchor</title></head><body><p>ok</p></body></html>";

    /// <summary>The <c>Origin</c> the Observatory sends with its CORS preflight.</summary>
    public const string ObservatoryOrigin = "https://http-observatory.security.mozilla.org";

    private static readonly string[] s_framingHeaders = ["content-length", "transfer-encoding", "connection", "date", "keep-alive"];

    /// <summary>The URL the user asked for.</summary>
    public required Uri Target { get; init; }

    /// <summary>The final response of the <c>https://</c> fetch, or <see langword="null"/> when HTTPS gave no response.</summary>
    public HeaderSet? Https { get; init; }

    /// <summary>The final response of the <c>http://</c> fetch, or <see langword="null"/> when plain HTTP gave no response.</summary>
    public HeaderSet? Http { get; init; }

    /// <summary>Why the HTTPS fetch gave no response (refused, timeout, not TLS…), when it did not.</summary>
    public string? HttpsError { get; init; }

    /// <summary>Why the HTTP fetch gave no response, when it did not.</summary>
    public string? HttpError { get; init; }

    /// <summary>
    /// A fetch that was refused rather than failed: a redirect loop, too many redirects, a redirect to a non-HTTP URL,
    /// or (with <c>DenyPrivateNetworks</c>) a private address. The scan is an error, whatever could be graded.
    /// </summary>
    public string? FetchFailure { get; init; }

    /// <summary>True when certificate verification was switched off on request (<c>--insecure</c>).</summary>
    public bool InsecureRequested { get; init; }

    /// <summary>True when the snapshot was built from a saved header set rather than fetched.</summary>
    public bool IsOffline { get; init; }

    /// <summary>
    /// The response the header checks read: the HTTPS response when HTTPS answered at all (even with an unverified
    /// certificate), else the HTTP one. The Observatory calls it the "auto" response.
    /// </summary>
    public HeaderSet? Primary => Https ?? Http;

    /// <summary>The host name that was scanned.</summary>
    public string Host => Target.Host;

    /// <summary>
    /// Builds the snapshot a live scan would produce if <paramref name="set"/> were served at
    /// <paramref name="url"/> (by default <c>https://localhost/</c>) the way the reference tool
    /// <c>observatory-headers.mjs</c> serves it: framing headers dropped, <c>Content-Type: text/html</c> and a tiny
    /// page added when the set has none, HTTPS with a valid certificate and plain HTTP answering 301 (or plain HTTP
    /// only), and the same headers on the CORS preflight, with <c>{origin}</c> replaced by the request's Origin.
    /// </summary>
    public static SiteSnapshot FromHeaderSet(HeaderSet set, OfflineTransport transport = OfflineTransport.Https, Uri? url = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        url ??= set.Url ?? new Uri("https://localhost/");
        var headers = set.Headers.Where(h => !s_framingHeaders.Contains(h.Name.ToLowerInvariant())).ToList();
        if (!headers.Exists(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", "text/html; charset=utf-8"));
        }

        var body = set.Body ?? DefaultHtmlBody;
        var authority = url.IsDefaultPort ? url.Host : url.Host + ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pathAndQuery = url.PathAndQuery;
        var httpsUrl = new Uri("https://" + authority + pathAndQuery);
        var httpUrl = new Uri("http://" + authority + pathAndQuery);

        HeaderSet Serve(Uri at, bool? verified, ImmutableArray<RedirectHop> chain)
        {
            var preflightHeaders = headers.Select(h => h with { Value = h.Value.Replace("{origin}", ObservatoryOrigin, StringComparison.Ordinal) });
            return new HeaderSet(headers)
            {
                StatusCode = set.StatusCode,
                Url = at,
                Body = body,
                TlsVerified = verified,
                RedirectChain = chain,
                CorsPreflight = new HeaderSet(preflightHeaders) { StatusCode = 204, Url = at, TlsVerified = verified },
                CorsPreflightOrigin = ObservatoryOrigin,
            };
        }

        if (transport == OfflineTransport.Http)
        {
            return new SiteSnapshot
            {
                Target = httpUrl,
                Http = Serve(httpUrl, null, []),
                HttpsError = "HTTPS is not served (offline grading with --transport http).",
                IsOffline = true,
            };
        }

        var https = Serve(httpsUrl, true, []);
        var redirect = new RedirectHop(httpUrl, 301, [new HttpHeader("Location", httpsUrl.AbsoluteUri)]);
        return new SiteSnapshot
        {
            Target = httpsUrl,
            Https = https,
            Http = Serve(httpsUrl, true, [redirect]),
            IsOffline = true,
        };
    }
}
