using System.Collections.Frozen;

namespace SecureHeaders.Policies;

/// <summary>Response headers that reveal implementation details and should be removed.</summary>
internal static class LeakingHeaders
{
    private static readonly Lazy<string[]> s_owasp = new(LoadOwasp);

    /// <summary>
    /// The OWASP Secure Headers Project's list of headers to remove (<c>ci/headers_remove.json</c>, Apache-2.0):
    /// Server, X-Powered-By, X-AspNet-Version, X-AspNetMvc-Version, X-SourceFiles, tracing headers and more.
    /// </summary>
    public static IReadOnlyList<string> Owasp => s_owasp.Value;

    /// <summary>Builds the lookup the middleware uses, ignoring ASCII case.</summary>
    public static FrozenSet<string> ToLookup(IEnumerable<string> names) => names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static string[] LoadOwasp()
    {
        using var document = Internal.EmbeddedData.Load("owasp/headers_remove.json");
        return [.. document.RootElement.GetProperty("headers").EnumerateArray().Select(static e => e.GetString()!)
            .Where(static name => Internal.HttpTokens.IsToken(name))];
    }
}
