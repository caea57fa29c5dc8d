namespace SecureHeaders.Headers;

/// <summary>The <c>Cross-Origin-Embedder-Policy</c> header (HTML §7.1.4).</summary>
public static class CrossOriginEmbedderPolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Cross-Origin-Embedder-Policy";

    /// <summary>The policies HTML defines.</summary>
    public static readonly IReadOnlyList<string> Policies = ["require-corp", "credentialless", "unsafe-none"];

    /// <summary>Parses a value (HTML §7.1.4.2 "obtain an embedder policy").</summary>
    public static HeaderParseResult<CrossOriginPolicyValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CrossOriginPolicyValue.Parse(value, Name, "cross-origin-embedder-policy", Policies);
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<CrossOriginPolicyValue>(Name, "CrossOriginEmbedderPolicy", "Requires every cross-origin subresource to opt in (CORP or CORS); needed for cross-origin isolation. Off by default: require-corp breaks cross-origin images and scripts that do not opt in.", null, Parse, allowed: Policies);
}
