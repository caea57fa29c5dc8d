namespace SecureHeaders.Headers;

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

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "XXssProtection", "Turns the legacy XSS auditor off; only 0 is accepted, because 1 and 1; mode=block enable known attacks.", "0", Parse, allowed: ["0"]);
}
