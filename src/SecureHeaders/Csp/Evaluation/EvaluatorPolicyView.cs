namespace SecureHeaders.Csp.Evaluation;

/// <summary>
/// A policy as the CSP Evaluator sees it: directive names with lists of value strings, keywords and bare schemes
/// lower-cased, repeated values dropped. The Evaluator's checks work on strings rather than on classified
/// sources, and matching its results one to one needs the same view. Mutable on purpose: the effective policy is
/// derived by removing values from a copy.
/// </summary>
internal sealed class EvaluatorPolicyView
{
    /// <summary>The directive names the CSP Evaluator 1.1.8 knows; anything else is an unknown directive to it.</summary>
    internal static readonly HashSet<string> KnownDirectives = new(StringComparer.Ordinal)
    {
        "child-src", "connect-src", "default-src", "font-src", "frame-src", "img-src", "media-src", "object-src",
        "script-src", "script-src-attr", "script-src-elem", "style-src", "style-src-attr", "style-src-elem",
        "prefetch-src", "manifest-src", "worker-src", "base-uri", "plugin-types", "sandbox", "disown-opener",
        "form-action", "frame-ancestors", "navigate-to", "report-to", "report-uri", "block-all-mixed-content",
        "upgrade-insecure-requests", "reflected-xss", "referrer", "require-sri-for", "trusted-types",
        "require-trusted-types-for", "webrtc",
    };

    /// <summary>The keywords the CSP Evaluator 1.1.8 accepts (quoted).</summary>
    internal static readonly string[] Keywords =
    [
        "'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'wasm-eval'", "'wasm-unsafe-eval'", "'strict-dynamic'",
        "'unsafe-hashed-attributes'", "'unsafe-hashes'", "'report-sample'", "'block'", "'allow'", "'inline-speculation-rules'",
    ];

    /// <summary>Fetch directives in the Evaluator's sense: they fall back to default-src.</summary>
    private static readonly HashSet<string> s_fetchDirectives = new(StringComparer.Ordinal)
    {
        "child-src", "connect-src", "default-src", "font-src", "frame-src", "img-src", "manifest-src", "media-src",
        "object-src", "script-src", "script-src-attr", "script-src-elem", "style-src", "style-src-attr", "style-src-elem", "worker-src",
    };

    /// <summary>Stands in for the SecureHeaders <c>'nonce'</c> placeholder in configured policies: a well-formed nonce.</summary>
    internal const string PlaceholderNonce = "'nonce-SecureHeadersPerResponseNonce'";

    private readonly List<KeyValuePair<string, List<string>>> _directives;

    private EvaluatorPolicyView(List<KeyValuePair<string, List<string>>> directives) => _directives = directives;

    public IEnumerable<KeyValuePair<string, List<string>>> Directives => _directives;

    public static EvaluatorPolicyView From(CspPolicy policy, bool configured)
    {
        var list = new List<KeyValuePair<string, List<string>>>();
        foreach (var directive in policy.Directives)
        {
            var values = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in directive.Values)
            {
                var text = configured && source.Kind == CspSourceKind.NoncePlaceholder ? PlaceholderNonce : Normalize(source.Text);
                if (seen.Add(text))
                {
                    values.Add(text);
                }
            }

            list.Add(new(directive.Name, values));
        }

        return new(list);
    }

    public EvaluatorPolicyView Clone() => new([.. _directives.Select(static d => new KeyValuePair<string, List<string>>(d.Key, [.. d.Value]))]);

    public bool Has(string name) => Get(name) is not null;

    public List<string>? Get(string name)
    {
        foreach (var directive in _directives)
        {
            if (directive.Key == name)
            {
                return directive.Value;
            }
        }

        return null;
    }

    public IReadOnlyList<string> Values(string name) => Get(name) ?? [];

    public void Remove(string name) => _directives.RemoveAll(d => d.Key == name);

    /// <summary>The directive that governs <paramref name="name"/> in the Evaluator's (simplified) fallback model.</summary>
    public string EffectiveDirective(string name)
    {
        if (Has(name))
        {
            return name;
        }

        if (name is "script-src-attr" or "script-src-elem" && Has("script-src"))
        {
            return "script-src";
        }

        if (name is "style-src-attr" or "style-src-elem" && Has("style-src"))
        {
            return "style-src";
        }

        return s_fetchDirectives.Contains(name) ? "default-src" : name;
    }

    /// <summary>The distinct effective directives of several names, in order.</summary>
    public List<string> EffectiveDirectives(params string[] names)
    {
        var result = new List<string>();
        foreach (var name in names)
        {
            var effective = EffectiveDirective(name);
            if (!result.Contains(effective))
            {
                result.Add(effective);
            }
        }

        return result;
    }

    public bool HasStrictNonce(string directive = "script-src") => Values(EffectiveDirective(directive)).Any(IsStrictNonce);

    public bool HasStrictHash(string directive = "script-src") => Values(EffectiveDirective(directive)).Any(IsStrictHash);

    public bool HasStrictDynamic(string directive = "script-src") => Values(EffectiveDirective(directive)).Contains("'strict-dynamic'");

    internal static string Normalize(string value)
    {
        var lower = value.ToLowerInvariant();
        return Keywords.Contains(lower) || IsUrlScheme(value) ? lower : value;
    }

    /// <summary>A bare scheme such as <c>https:</c> (letter, then letters, digits, <c>+ . -</c>, then a colon).</summary>
    internal static bool IsUrlScheme(string value)
    {
        if (value.Length < 2 || value[^1] != ':' || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        for (var i = 1; i < value.Length - 1; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(value[i]) || value[i] is '+' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>'nonce-</c> + base64/base64url + up to two <c>=</c> + <c>'</c>.</summary>
    internal static bool IsStrictNonce(string value) =>
        value.Length > 9 && value.StartsWith("'nonce-", StringComparison.Ordinal) && value[^1] == '\'' && IsBase64Body(value.AsSpan(7, value.Length - 8));

    /// <summary><c>'sha256-</c>/<c>'sha384-</c>/<c>'sha512-</c> + base64/base64url + up to two <c>=</c> + <c>'</c>.</summary>
    internal static bool IsStrictHash(string value)
    {
        if (value.Length < 10 || value[^1] != '\''
            || !(value.StartsWith("'sha256-", StringComparison.Ordinal) || value.StartsWith("'sha384-", StringComparison.Ordinal) || value.StartsWith("'sha512-", StringComparison.Ordinal)))
        {
            return false;
        }

        return IsBase64Body(value.AsSpan(8, value.Length - 9));
    }

    private static bool IsBase64Body(ReadOnlySpan<char> body)
    {
        var end = body.Length;
        var padding = 0;
        while (end > 0 && body[end - 1] == '=' && padding < 2)
        {
            end--;
            padding++;
        }

        if (end == 0)
        {
            return false;
        }

        foreach (var c in body[..end])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
