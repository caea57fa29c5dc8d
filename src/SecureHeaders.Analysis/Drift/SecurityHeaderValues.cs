using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace SecureHeaders.Analysis.Drift;

/// <summary>
/// The security headers of a response in a form that can be compared between pages and between scans: each header's
/// value (repeated lines joined with <c>", "</c>), white space collapsed, and every CSP nonce written as
/// <c>'nonce-…'</c>, because a nonce differs on every response by design.
/// </summary>
public static partial class SecurityHeaderValues
{
    /// <summary>The headers compared, in report order.</summary>
    public static ImmutableArray<string> Names { get; } =
    [
        "Content-Security-Policy", "Content-Security-Policy-Report-Only", "Strict-Transport-Security", "X-Frame-Options",
        "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy",
        "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
    ];

    /// <summary>The placeholder every nonce becomes.</summary>
    public const string NoncePlaceholder = "'nonce-…'";

    /// <summary>The compared value of each of <see cref="Names"/> (<see langword="null"/> when absent).</summary>
    public static ImmutableDictionary<string, string?> Of(HeaderSet response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var values = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Names)
        {
            var lines = response.GetValues(name);
            values[name] = lines.Count == 0 ? null : Normalize(name, string.Join(", ", lines));
        }

        return values.ToImmutable();
    }

    /// <summary>Normalizes one header value for comparison.</summary>
    public static string Normalize(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var collapsed = Whitespace().Replace(value.Trim(), " ");
        return name.StartsWith("Content-Security-Policy", StringComparison.OrdinalIgnoreCase) ? Nonce().Replace(collapsed, NoncePlaceholder) : collapsed;
    }

    /// <summary>True when a normalized CSP value carries a nonce.</summary>
    public static bool HasNonce(string? csp) => csp is not null && csp.Contains(NoncePlaceholder, StringComparison.Ordinal);

    /// <summary>The directives of a normalized CSP value: name → sources, for the first policy of each header line.</summary>
    public static ImmutableDictionary<string, ImmutableHashSet<string>> Directives(string? csp)
    {
        var directives = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<string>>(StringComparer.Ordinal);
        if (csp is null)
        {
            return directives.ToImmutable();
        }

        foreach (var policy in csp.Split(','))
        {
            foreach (var directive in policy.Split(';'))
            {
                var words = directive.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    continue;
                }

                var name = words[0].ToLowerInvariant();
                var sources = words.Skip(1).ToImmutableHashSet(StringComparer.Ordinal);
                directives[name] = directives.TryGetValue(name, out var existing) ? existing.Union(sources) : sources;
            }
        }

        return directives.ToImmutable();
    }

    internal static string Shorten(string? value, int length = 120)
    {
        if (value is null)
        {
            return "(absent)";
        }

        var sb = new StringBuilder(value.Length > length ? value[..length] : value);
        if (value.Length > length)
        {
            sb.Append('…');
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"'nonce-[^']*'", RegexOptions.IgnoreCase)]
    private static partial Regex Nonce();
}
