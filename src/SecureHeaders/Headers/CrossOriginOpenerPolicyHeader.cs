namespace SecureHeaders.Headers;

/// <summary>The <c>Cross-Origin-Opener-Policy</c> header (HTML §7.1.3).</summary>
public static class CrossOriginOpenerPolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Cross-Origin-Opener-Policy";

    /// <summary>The policies HTML defines.</summary>
    public static readonly IReadOnlyList<string> Policies = ["same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"];

    /// <summary>Parses a value (HTML §7.1.3.2 "obtain a cross-origin opener policy").</summary>
    public static HeaderParseResult<CrossOriginPolicyValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return CrossOriginPolicyValue.Parse(value, Name, "cross-origin-opener-policy", Policies);
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<CrossOriginPolicyValue>(Name, "CrossOriginOpenerPolicy", "Separates the page's browsing context group from cross-origin windows it opens or that open it (HTML §7.1.3); accepts ; report-to=\"endpoint\".", "same-origin", Parse, allowed: Policies);
}
