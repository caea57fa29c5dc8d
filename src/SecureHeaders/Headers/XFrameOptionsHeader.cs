namespace SecureHeaders.Headers;

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

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "XFrameOptions", "Framing protection for browsers without CSP Level 2, kept consistent with frame-ancestors: DENY or SAMEORIGIN (ALLOW-FROM is refused: browsers ignore it).", Deny, Parse, allowed: [Deny, SameOrigin]);
}
