using System.Globalization;
using System.Text;
using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;
using SecureHeaders.Headers;
using SecureHeaders.Headers.StructuredFields;

namespace SecureHeaders.Tests.Scaling;

/// <summary>One adversarial input shape for one parser: how to build it at a given size and how to feed it to the parser.</summary>
/// <param name="Name">A stable name, <c>parser/shape</c>.</param>
/// <param name="Make">Builds an input of about the given number of characters.</param>
/// <param name="Run">Feeds the input to the parser (the result is consumed so that nothing is optimised away).</param>
public sealed record AdversarialCase(string Name, Func<int, string> Make, Action<string> Run)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The inputs that used to make parsers super-linear (many directives, sources, features, parameters or cookie
/// attributes; one huge name or keyword), shared by the growth tests and the on-demand scaling harness
/// (<c>dotnet run -c Release --project benchmarks/SecureHeaders.Benchmarks -- scaling</c>).
/// </summary>
public static class AdversarialInputs
{
    private static readonly string ValidDigest = Convert.ToBase64String(new byte[32]);

    /// <summary>Repeats <paramref name="unit"/> (given its index) until the text reaches <paramref name="size"/> characters.</summary>
    public static string Repeat(int size, Func<int, string> unit, string prefix = "", string suffix = "")
    {
        var sb = new StringBuilder(size + 64);
        sb.Append(prefix);
        for (var i = 0; sb.Length < size; i++)
        {
            sb.Append(unit(i));
        }

        return sb.Append(suffix).ToString();
    }

    private static string N(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static void Csp(string s) => GC.KeepAlive(CspParser.Parse(s));

    private static void Evaluate(string s) => GC.KeepAlive(CspEvaluator.Evaluate(s, new CspEvaluationOptions { Checks = CspCheckSets.All }));

    /// <summary>Every case, parser by parser.</summary>
    public static IReadOnlyList<AdversarialCase> All { get; } =
    [
        // CSP parser and its diagnostics (did-you-mean included).
        new("csp/unknown-directives", n => Repeat(n, i => "x" + N(i) + " a; "), Csp),
        new("csp/duplicate-directives", n => Repeat(n, _ => "script-src 'self'; "), Csp),
        new("csp/misspelt-directives", n => Repeat(n, i => (i % 2 == 0 ? "scrpt-src" : "img-scr") + N(i) + " a; "), Csp),
        new("csp/many-hosts", n => Repeat(n, i => "h" + N(i) + ".example.com ", "script-src "), Csp),
        new("csp/duplicate-hosts", n => Repeat(n, _ => "a.example.com ", "script-src "), Csp),
        new("csp/many-nonces", n => Repeat(n, i => "'nonce-" + N(i) + "abcdefghijklmnop' ", "script-src "), Csp),
        new("csp/many-hashes", n => Repeat(n, i => "'sha256-" + ValidDigest[..^4] + N(i % 10) + "AA=' ", "script-src "), Csp),
        new("csp/many-ports", n => Repeat(n, i => "a.example.com:" + N(i) + " ", "script-src "), Csp),
        new("csp/many-schemes", n => Repeat(n, i => "s" + N(i) + ": ", "img-src "), Csp),
        new("csp/unknown-keywords", n => Repeat(n, i => "'kw" + N(i) + "' ", "script-src "), Csp),
        new("csp/unquoted-keywords", n => Repeat(n, _ => "self unsafe-inline ", "script-src "), Csp),
        new("csp/sandbox-tokens", n => Repeat(n, i => "allow-scrpts" + N(i) + " ", "sandbox "), Csp),
        new("csp/report-uris", n => Repeat(n, i => "/r" + N(i) + " ", "report-uri "), Csp),
        new("csp/long-directive-name", n => new string('a', n), Csp),
        new("csp/long-misspelt-name", n => "script-src" + new string('s', n), Csp),
        new("csp/long-keyword", n => "script-src '" + new string('a', n) + "'", Csp),
        new("csp/long-host", n => "script-src " + new string('a', n) + ".com", Csp),
        new("csp/long-path", n => "script-src a.com/" + new string('a', n), Csp),
        new("csp/long-sandbox-token", n => "sandbox " + new string('a', n), Csp),
        new("csp/semicolons", n => new string(';', n), Csp),
        new("csp/whitespace", n => "script-src" + new string(' ', n) + "'self'", Csp),
        new("csp/header-commas", n => Repeat(n, i => "x" + N(i) + ", "), s => GC.KeepAlive(CspParser.ParseHeader(s))),
        new("csp/tokenize", n => Repeat(n, i => "x" + N(i) + " a b c; "), s => GC.KeepAlive(CspParser.Tokenize(s))),

        // CSP evaluator (every check set, so our own checks and the Evaluator's run) on big policies.
        new("evaluator/unknown-directives", n => Repeat(n, i => "x" + N(i) + " a; "), Evaluate),
        new("evaluator/many-hosts", n => Repeat(n, i => "h" + N(i) + ".example.com ", "script-src "), Evaluate),
        new("evaluator/strict-dynamic-hosts", n => Repeat(n, i => "h" + N(i) + ".example.com ", "script-src 'strict-dynamic' 'nonce-abcdefghijklmnop' "), Evaluate),
        new("evaluator/many-nonces", n => Repeat(n, i => "'nonce-" + N(i) + "abcdefghijklmnop' ", "script-src "), Evaluate),
        new("evaluator/many-ports", n => Repeat(n, i => "www.google.com:" + N(i) + " ", "script-src "), Evaluate),
        new("evaluator/wildcard-hosts", n => Repeat(n, i => "*.h" + N(i) + ".com ", "script-src "), Evaluate),
        new("evaluator/unknown-keywords", n => Repeat(n, i => "'kw" + N(i) + "' ", "script-src "), Evaluate),
        new("evaluator/directive-names-as-values", n => Repeat(n, _ => "img-src ", "script-src "), Evaluate),
        new("evaluator/long-directive-name", n => new string('a', n), Evaluate),
        new("evaluator/long-keyword", n => "script-src '" + new string('a', n) + "'", Evaluate),

        // Permissions-Policy and the RFC 8941 parser under it.
        new("permissions-policy/many-features", n => Repeat(n, i => "f" + N(i) + "=(), "), s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/duplicate-features", n => Repeat(n, _ => "camera=(), ", suffix: "camera=()"), s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/parameters", n => Repeat(n, i => ";p" + N(i), "camera=()"), s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/item-parameters", n => Repeat(n, i => ";p" + N(i), "camera=(self", ")"), s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/many-origins", n => Repeat(n, i => "\"https://a" + N(i) + ".example\" ", "camera=(", ")"), s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/many-bad-items", n => Repeat(n, i => "x" + N(i) + " ", "camera=(", ")"), s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/long-feature", n => new string('f', n) + "=()", s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("permissions-policy/long-origin", n => "camera=(\"https://" + new string('a', n) + ".com\")", s => GC.KeepAlive(PermissionsPolicyHeader.Parse(s))),
        new("structured-fields/list-members", n => Repeat(n, i => "a" + N(i) + ";q=1, ", suffix: "z"), s => GC.KeepAlive(SfParser.ParseList(s))),
        new("structured-fields/item-parameters", n => Repeat(n, i => ";k" + N(i) + "=" + N(i), "tok"), s => GC.KeepAlive(SfParser.ParseItem(s))),
        new("structured-fields/duplicate-parameters", n => Repeat(n, _ => ";k=1", "tok"), s => GC.KeepAlive(SfParser.ParseItem(s))),
        new("structured-fields/dictionary-keys", n => Repeat(n, i => "k" + N(i) + "=1, ", suffix: "z"), s => GC.KeepAlive(SfParser.ParseDictionary(s))),
        new("structured-fields/long-string", n => "\"" + new string('a', n) + "\"", s => GC.KeepAlive(SfParser.ParseItem(s))),
        new("structured-fields/escaped-string", n => "\"" + Repeat(n, _ => "\\\"") + "\"", s => GC.KeepAlive(SfParser.ParseItem(s))),
        new("structured-fields/long-bytes", n => ":" + new string('A', n / 4 * 4) + ":", s => GC.KeepAlive(SfParser.ParseItem(s))),
        new("structured-fields/unclosed-bytes", n => Repeat(n, _ => ":AAAA", "a=(", ")"), s => GC.KeepAlive(SfParser.ParseDictionary(s))),
        new("reporting-endpoints/many-endpoints", n => Repeat(n, i => "e" + N(i) + "=\"/r" + N(i) + "\", ", suffix: "z=\"/z\""), s => GC.KeepAlive(ReportingEndpointsHeader.Parse(s))),
        new("integrity-policy/many-destinations", n => Repeat(n, i => "d" + N(i) + " ", "blocked-destinations=(", ")"), s => GC.KeepAlive(IntegrityPolicyHeader.Parse(s))),
        new("cross-origin-opener-policy/parameters", n => Repeat(n, i => ";p" + N(i), "same-origin"), s => GC.KeepAlive(CrossOriginOpenerPolicyHeader.Parse(s))),

        // Set-Cookie and its date reader.
        new("set-cookie/many-attributes", n => Repeat(n, i => "; x" + N(i) + "=y", "a=b"), ParseAndValidateCookie),
        new("set-cookie/repeated-attributes", n => Repeat(n, _ => "; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=5; Path=/; SameSite=Lax", "a=b"), ParseAndValidateCookie),
        new("set-cookie/empty-attributes", n => "a=b" + new string(';', n), ParseAndValidateCookie),
        new("set-cookie/long-value", n => "a=" + new string('v', n), ParseAndValidateCookie),
        new("set-cookie/long-attribute", n => "a=b; Domain=" + new string('d', n), ParseAndValidateCookie),
        new("set-cookie/long-attribute-name", n => "a=b; " + new string('x', n), ParseAndValidateCookie),
        new("cookie-date/many-tokens", n => Repeat(n, _ => "1 "), s => GC.KeepAlive(SetCookieDate.TryParse(s, out _))),
        new("cookie-date/long-token", n => new string('9', n), s => GC.KeepAlive(SetCookieDate.TryParse(s, out _))),

        // The other header parsers.
        new("hsts/many-directives", n => Repeat(n, i => "x" + N(i) + "; ", "max-age=1; "), s => GC.KeepAlive(StrictTransportSecurityHeader.Parse(s))),
        new("hsts/misspelt-directives", n => Repeat(n, i => "max-agee" + N(i % 10) + "; ", "max-age=1; "), s => GC.KeepAlive(StrictTransportSecurityHeader.Parse(s))),
        new("hsts/long-name", n => "max-age=1; " + new string('x', n), s => GC.KeepAlive(StrictTransportSecurityHeader.Parse(s))),
        new("hsts/long-max-age", n => "max-age=" + new string('1', n), s => GC.KeepAlive(StrictTransportSecurityHeader.Parse(s))),
        new("referrer-policy/many-tokens", n => Repeat(n, i => "x" + N(i) + ", "), s => GC.KeepAlive(ReferrerPolicyHeader.Parse(s))),
        new("referrer-policy/long-token", n => new string('n', n), s => GC.KeepAlive(ReferrerPolicyHeader.Parse(s))),
        new("clear-site-data/many-types", n => Repeat(n, i => "\"t" + N(i) + "\", "), s => GC.KeepAlive(ClearSiteDataHeader.Parse(s))),
        new("clear-site-data/long-type", n => "\"" + new string('c', n) + "\"", s => GC.KeepAlive(ClearSiteDataHeader.Parse(s))),
        new("x-frame-options/long-value", n => new string('D', n), s => GC.KeepAlive(XFrameOptionsHeader.Parse(s))),
    ];

    private static void ParseAndValidateCookie(string s)
    {
        if (SetCookieHeader.TryParse(s, out var cookie))
        {
            GC.KeepAlive(cookie.Validate());
            GC.KeepAlive(cookie.ToString());
        }
    }
}
