using System.Collections.Immutable;
using SecureHeaders.Headers;

namespace SecureHeaders.Policies;

/// <summary>
/// A policy validated and turned into what the middleware writes: constant header fields, the HSTS field for
/// HTTPS responses, and CSP templates with nonce slots. Immutable and shared by all requests.
/// </summary>
internal sealed class CompiledPolicy
{
    internal CompiledPolicy(
        string name,
        ImmutableArray<HeaderField> headers,
        HeaderField? strictTransportSecurity,
        CspTemplate? contentSecurityPolicy,
        CspTemplate? contentSecurityPolicyWithoutUpgrade,
        ImmutableArray<CspTemplate> reportOnlyPolicies,
        bool cacheControlNoStore)
    {
        Name = name;
        Headers = headers;
        StrictTransportSecurity = strictTransportSecurity;
        ContentSecurityPolicy = contentSecurityPolicy;
        ContentSecurityPolicyWithoutUpgrade = contentSecurityPolicyWithoutUpgrade ?? contentSecurityPolicy;
        ReportOnlyPolicies = reportOnlyPolicies;
        CacheControlNoStore = cacheControlNoStore;
        var usesNonce = contentSecurityPolicy?.UsesNonce == true;
        foreach (var template in reportOnlyPolicies)
        {
            usesNonce |= template.UsesNonce;
        }

        UsesNonce = usesNonce;

        // The request path only picks one of four precomputed arrays: with or without HSTS, with or without
        // upgrade-insecure-requests. Static CSPs are part of the arrays; nonce-bearing ones are rendered per response.
        _fields = new HeaderField[4][];
        for (var variant = 0; variant < 4; variant++)
        {
            var list = new List<HeaderField>(headers.Length + 4);
            var enforced = (variant & WithoutUpgrade) != 0 ? ContentSecurityPolicyWithoutUpgrade : contentSecurityPolicy;
            if (!usesNonce)
            {
                if (enforced?.StaticValue is { } csp)
                {
                    list.Add(new HeaderField(ContentSecurityPolicyHeaderName, csp));
                }

                foreach (var template in reportOnlyPolicies)
                {
                    list.Add(new HeaderField(ContentSecurityPolicyReportOnlyHeaderName, template.StaticValue!));
                }
            }

            list.AddRange(headers);
            if ((variant & WithHsts) != 0 && strictTransportSecurity is { } hsts)
            {
                list.Add(hsts);
            }

            _fields[variant] = [.. list];
        }
    }

    /// <summary>The Content-Security-Policy header name.</summary>
    public const string ContentSecurityPolicyHeaderName = "Content-Security-Policy";

    /// <summary>The Content-Security-Policy-Report-Only header name.</summary>
    public const string ContentSecurityPolicyReportOnlyHeaderName = "Content-Security-Policy-Report-Only";

    private const int WithHsts = 1;
    private const int WithoutUpgrade = 2;
    private readonly HeaderField[][] _fields;

    /// <summary>
    /// Every constant header of a response, in one array: the static CSPs (when no nonce is involved), the other
    /// headers, and HSTS when <paramref name="includeHsts"/>. Two report-only policies appear as two fields.
    /// </summary>
    /// <param name="includeHsts">True for HTTPS responses in the Production profile.</param>
    /// <param name="withoutUpgrade">True to leave out <c>upgrade-insecure-requests</c> (plain-HTTP development on localhost).</param>
    public ReadOnlySpan<HeaderField> Fields(bool includeHsts, bool withoutUpgrade) =>
        _fields[(includeHsts ? WithHsts : 0) | (withoutUpgrade ? WithoutUpgrade : 0)];

    /// <summary>
    /// The policy's name: <c>default</c> for the default policy, the name of a named policy, and for a policy changed
    /// inline on an endpoint the base policy's name, <c>@</c> and the route (<c>default@/admin/{id}</c>).
    /// </summary>
    public string Name { get; }

    /// <summary>Headers sent on every response, in order.</summary>
    public ImmutableArray<HeaderField> Headers { get; }

    /// <summary><c>Strict-Transport-Security</c>, sent on HTTPS responses only (RFC 6797 §7.2), or <see langword="null"/> when off.</summary>
    public HeaderField? StrictTransportSecurity { get; }

    /// <summary>The enforced policy, or <see langword="null"/> when none is sent.</summary>
    public CspTemplate? ContentSecurityPolicy { get; }

    /// <summary>The enforced policy without <c>upgrade-insecure-requests</c>, for plain-HTTP development on localhost (same as <see cref="ContentSecurityPolicy"/> when it has no such directive).</summary>
    public CspTemplate? ContentSecurityPolicyWithoutUpgrade { get; }

    /// <summary>Policies sent as <c>Content-Security-Policy-Report-Only</c> (zero, one or two).</summary>
    public ImmutableArray<CspTemplate> ReportOnlyPolicies { get; }

    /// <summary>Whether <c>Cache-Control: no-store</c> is sent when the application did not set Cache-Control.</summary>
    public bool CacheControlNoStore { get; }

    /// <summary>
    /// Report sampling: the share of responses that get this policy (with reporting directives), and the same policy
    /// without them for the others. <see langword="null"/> when every response reports.
    /// </summary>
    public (double Rate, CompiledPolicy? Unreported)? Sampling { get; internal set; }

    /// <summary>
    /// The variant for plain-HTTP responses when violation reporting is wired in: <c>report-uri</c> only, because
    /// browsers deliver Reporting API reports only from secure pages. <see langword="null"/> otherwise.
    /// </summary>
    public CompiledPolicy? PlainHttp { get; internal set; }

    /// <summary>True when a CSP of this policy carries a per-response nonce.</summary>
    public bool UsesNonce { get; }

    /// <summary>Directives SecureHeaders added to the configured policy itself (the reporting directives).</summary>
    public IReadOnlyList<string> AddedDirectives { get; internal set; } = [];

    /// <summary>True when <paramref name="directive"/> is in the policy only because SecureHeaders added it.</summary>
    public bool AddedByLibrary(string? directive)
    {
        foreach (var added in AddedDirectives)
        {
            if (string.Equals(added, directive, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Finds a constant header's value by name (for tests and diagnostics; not used on the request path).</summary>
    public string? Find(string name)
    {
        foreach (var field in Headers)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return field.Value;
            }
        }

        return null;
    }
}
