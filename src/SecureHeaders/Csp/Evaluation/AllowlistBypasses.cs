using System.Text.Json;

namespace SecureHeaders.Csp.Evaluation;

/// <summary>
/// Hosts and paths known to serve JSONP endpoints, AngularJS copies or Flash files, any of which lets an
/// attacker run script through a host allow-list. The lists come from Google's CSP Evaluator 1.1.8 (embedded
/// <c>csp-allowlist-bypasses.json</c>, Apache-2.0). Order matters: like the Evaluator we use the first match.
/// </summary>
internal sealed class AllowlistBypasses
{
    private static readonly Lazy<AllowlistBypasses> s_instance = new(Load);

    private AllowlistBypasses(SourceUrl[] jsonp, HashSet<string> jsonpNeedsEval, SourceUrl[] angular, SourceUrl[] flash)
    {
        Jsonp = jsonp;
        JsonpNeedsEval = jsonpNeedsEval;
        Angular = angular;
        Flash = flash;
    }

    public static AllowlistBypasses Instance => s_instance.Value;

    public SourceUrl[] Jsonp { get; }

    /// <summary>Hosts whose JSONP endpoints only help an attacker when <c>'unsafe-eval'</c> is allowed too.</summary>
    public HashSet<string> JsonpNeedsEval { get; }

    public SourceUrl[] Angular { get; }

    public SourceUrl[] Flash { get; }

    /// <summary>
    /// The first listed URL that a source value allows: same host (or a subdomain for <c>*.</c> sources), and,
    /// when the source has a path, the same path (or a path under it when the source path ends in <c>/</c>).
    /// </summary>
    public static SourceUrl? FirstMatch(string sourceValue, SourceUrl[] list)
    {
        if (SourceUrl.TryParse(sourceValue) is not { } source)
        {
            return null;
        }

        var hasPath = source.Path != "/";
        var wildcardFree = source.WildcardFreeHost;
        foreach (var url in list)
        {
            if (!url.Host.EndsWith(wildcardFree, StringComparison.Ordinal))
            {
                continue;
            }

            if (!source.HostHasWildcard && source.Host != url.Host)
            {
                continue;
            }

            if (hasPath && (source.Path.EndsWith('/') ? !url.Path.StartsWith(source.Path, StringComparison.Ordinal) : url.Path != source.Path))
            {
                continue;
            }

            return url;
        }

        return null;
    }

    private static AllowlistBypasses Load()
    {
        using var document = Internal.EmbeddedData.Load("csp-allowlist-bypasses.json");
        var root = document.RootElement;
        return new(
            Urls(root, "jsonp"),
            [.. root.GetProperty("jsonpNeedsEval").EnumerateArray().Select(static e => e.GetString()!)],
            Urls(root, "angular"),
            Urls(root, "flash"));
    }

    private static SourceUrl[] Urls(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(static e => SourceUrl.TryParse(e.GetString()!)).OfType<SourceUrl>()];
}
