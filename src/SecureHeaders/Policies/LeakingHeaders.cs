using System.Collections.Frozen;

namespace SecureHeaders.Policies;

/// <summary>Response headers that reveal implementation details and should be removed.</summary>
internal static partial class LeakingHeaders
{
    /// <summary>
    /// The OWASP Secure Headers Project's list of headers to remove (<c>ci/headers_remove.json</c>, Apache-2.0):
    /// Server, X-Powered-By, X-AspNet-Version, X-AspNetMvc-Version, X-SourceFiles, tracing headers and more. Compiled in
    /// from <c>Data/owasp/headers_remove.json</c> (LeakingHeaders.Owasp.g.cs, written by tools/SecureHeaders.DocGen).
    /// </summary>
    public static IReadOnlyList<string> Owasp => s_owasp;

    /// <summary>Builds the lookup the middleware uses, ignoring ASCII case.</summary>
    public static FrozenSet<string> ToLookup(IEnumerable<string> names) => names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
