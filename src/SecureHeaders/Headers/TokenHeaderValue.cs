namespace SecureHeaders.Headers;

/// <summary>The value of a header whose whole value is one keyword from a fixed list (X-Frame-Options, CORP…).</summary>
/// <param name="Token">The keyword in its canonical spelling.</param>
public sealed record TokenHeaderValue(string Token)
{
    /// <inheritdoc />
    public override string ToString() => Token;

    /// <summary>Parses a value that must be exactly one of <paramref name="allowed"/> (compared ignoring ASCII case).</summary>
    internal static HeaderParseResult<TokenHeaderValue> Parse(string value, string headerName, string codePrefix, IReadOnlyList<string> allowed, string? extraFix = null)
    {
        var trimmed = value.Trim(' ', '\t');
        foreach (var token in allowed)
        {
            if (string.Equals(trimmed, token, StringComparison.OrdinalIgnoreCase))
            {
                return new(new TokenHeaderValue(token), []);
            }
        }

        var guess = Internal.DidYouMean.Closest(trimmed, allowed);
        return HeaderParseResult<TokenHeaderValue>.Invalid(codePrefix + "-invalid",
            $"\"{trimmed}\" is not a valid {headerName} value; browsers ignore it.",
            (guess is not null ? $"Did you mean {guess}? " : string.Empty) + (extraFix ?? "Allowed: " + string.Join(", ", allowed) + "."));
    }
}

/// <summary>The <c>X-Frame-Options</c> header (RFC 7034; HTML Living Standard §7.1.1 "The X-Frame-Options header").</summary>
public static class XFrameOptionsHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-Frame-Options";

    /// <summary>No framing at all.</summary>
    public const string Deny = "DENY";

    /// <summary>Framing by same-origin pages only.</summary>
    public const string SameOrigin = "SAMEORIGIN";

    /// <summary>
    /// Parses a value. <c>ALLOW-FROM</c> is rejected: current browsers ignore it (HTML treats it as invalid), so a
    /// page relying on it can be framed by anyone; <c>frame-ancestors</c> in the CSP is the replacement.
    /// </summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.TrimStart().StartsWith("ALLOW-FROM", StringComparison.OrdinalIgnoreCase))
        {
            return HeaderParseResult<TokenHeaderValue>.Invalid("x-frame-options-allow-from",
                "ALLOW-FROM is not supported by current browsers, which ignore it and allow framing by anyone.",
                "Use DENY or SAMEORIGIN here, and list the allowed embedders in the CSP: frame-ancestors https://partner.example.com.");
        }

        return TokenHeaderValue.Parse(value, Name, "x-frame-options", [Deny, SameOrigin]);
    }
}

/// <summary>The <c>X-Content-Type-Options</c> header (Fetch §3.7).</summary>
public static class XContentTypeOptionsHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-Content-Type-Options";

    /// <summary>The only defined value.</summary>
    public const string NoSniff = "nosniff";

    /// <summary>Parses a value; only <c>nosniff</c> is defined (Fetch §3.7).</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TokenHeaderValue.Parse(value, Name, "x-content-type-options", [NoSniff]);
    }
}

/// <summary>The <c>Cross-Origin-Resource-Policy</c> header (Fetch §3.8).</summary>
public static class CrossOriginResourcePolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Cross-Origin-Resource-Policy";

    /// <summary>Parses a value: <c>same-origin</c>, <c>same-site</c> or <c>cross-origin</c> (Fetch §3.8; case-sensitive there, so we only accept lower case).</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = TokenHeaderValue.Parse(value, Name, "cross-origin-resource-policy", ["same-origin", "same-site", "cross-origin"]);
        return result.Value is not null && result.Value.Token != value.Trim()
            ? HeaderParseResult<TokenHeaderValue>.Invalid("cross-origin-resource-policy-case", $"\"{value}\" must be lower case; browsers compare it exactly.", $"Write {result.Value.Token}.")
            : result;
    }
}

/// <summary>The <c>X-DNS-Prefetch-Control</c> header (non-standard; Chromium and Firefox honour it).</summary>
public static class XDnsPrefetchControlHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-DNS-Prefetch-Control";

    /// <summary>Parses <c>on</c> or <c>off</c>.</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TokenHeaderValue.Parse(value, Name, "x-dns-prefetch-control", ["off", "on"]);
    }
}

/// <summary>The <c>X-Permitted-Cross-Domain-Policies</c> header (Adobe cross-domain policy file specification).</summary>
public static class XPermittedCrossDomainPoliciesHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-Permitted-Cross-Domain-Policies";

    /// <summary>Parses one of the meta-policies of the cross-domain policy specification.</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TokenHeaderValue.Parse(value, Name, "x-permitted-cross-domain-policies", ["none", "master-only", "by-content-type", "by-ftp-filename", "all", "none-this-response"]);
    }
}

/// <summary>The deprecated <c>X-XSS-Protection</c> header.</summary>
public static class XXssProtectionHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-XSS-Protection";

    /// <summary>
    /// Parses a value, accepting only <c>0</c>. Browsers removed their XSS auditors; where one survives, <c>1</c>
    /// and <c>1; mode=block</c> can be abused to remove legitimate scripts or leak data, which is why OWASP, Helmet
    /// and secure_headers send <c>0</c>.
    /// </summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TokenHeaderValue.Parse(value, Name, "x-xss-protection", ["0"],
            "Send 0 (turn the legacy XSS auditor off) and rely on a strict Content-Security-Policy; 1 and 1; mode=block enable known attacks.");
    }
}
