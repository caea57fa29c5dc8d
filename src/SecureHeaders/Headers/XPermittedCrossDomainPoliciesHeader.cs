namespace SecureHeaders.Headers;

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

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "XPermittedCrossDomainPolicies", "Forbids Flash and PDF readers from loading cross-domain policy files.", "none", Parse);
}
