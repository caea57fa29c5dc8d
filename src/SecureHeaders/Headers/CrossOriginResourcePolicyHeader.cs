namespace SecureHeaders.Headers;

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

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "CrossOriginResourcePolicy", "Stops other sites from embedding this response (Fetch §3.7); CORS requests are unaffected.", "same-origin", Parse, allowed: ["same-origin", "same-site", "cross-origin"]);
}
