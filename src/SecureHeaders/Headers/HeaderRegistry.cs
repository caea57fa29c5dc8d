using System.Collections.Frozen;

namespace SecureHeaders.Headers;

/// <summary>
/// Every header SecureHeaders sends, in the order they are bound, compiled and documented. Adding a header is its
/// own file with a <see cref="HeaderDescription"/> plus one line here (CONTRIBUTING.md walks through it).
/// </summary>
public static class HeaderRegistry
{
    private static readonly HeaderDescription[] s_all = Register(
        ContentSecurityPolicyHeader.Description,
        ContentSecurityPolicyHeader.ReportOnlyDescription,
        StrictTransportSecurityHeader.Description,
        XFrameOptionsHeader.Description,
        XContentTypeOptionsHeader.Description,
        ReferrerPolicyHeader.Description,
        PermissionsPolicyHeader.Description,
        CrossOriginOpenerPolicyHeader.Description,
        CrossOriginEmbedderPolicyHeader.Description,
        CrossOriginResourcePolicyHeader.Description,
        OriginAgentClusterHeader.Description,
        XDnsPrefetchControlHeader.Description,
        XPermittedCrossDomainPoliciesHeader.Description,
        XXssProtectionHeader.Description,
        ReportingEndpointsHeader.Description,
        ClearSiteDataHeader.Description,
        IntegrityPolicyHeader.Description,
        DocumentPolicyHeader.Description);

    // Only custom headers and the scanner look headers up by name: built on first use.
    private static readonly Lazy<FrozenDictionary<string, HeaderDescription>> s_byName = new(static () => s_all
        .SelectMany(static d => d.AlsoGoverns.Append(d.Name).Select(name => KeyValuePair.Create(name, d)))
        .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));

    /// <summary>Every header description, in order.</summary>
    public static IReadOnlyList<HeaderDescription> All => s_all;

    /// <summary>The description that governs a header name (ignoring case), or <see langword="null"/>.</summary>
    public static HeaderDescription? Find(string headerName)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        return s_byName.Value.GetValueOrDefault(headerName);
    }

    private static HeaderDescription[] Register(params HeaderDescription[] descriptions)
    {
        for (var i = 0; i < descriptions.Length; i++)
        {
            if (descriptions[i].Slot != -1)
            {
                throw new InvalidOperationException($"{descriptions[i].Name} is registered twice.");
            }

            descriptions[i].Slot = i;
        }

        return descriptions;
    }
}
