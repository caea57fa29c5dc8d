using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.FileProviders;
using SecureHeaders.Csp;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// What SecureHeaders knows about the framework's own scripts, found once at startup from the endpoints: the
/// application's static script files (for <see cref="ScriptTagNoncer"/>) and the import maps that
/// <c>&lt;ImportMap /&gt;</c> and <c>&lt;script type="importmap"&gt;</c> fill in at run time (hashed into the
/// policy of the endpoints that render them).
/// </summary>
internal sealed class FrameworkAssets
{
    private const int MaxRememberedFiles = 4096;
    private readonly FrozenSet<string> _staticScriptRoutes;
    private readonly IFileProvider? _webRoot;
    private readonly ConcurrentDictionary<string, bool> _webRootScripts = new(StringComparer.Ordinal);
    // Only apps with import maps have one: its dictionary, keyed by a value tuple, is JIT-compiled when created, and
    // naming ImportMapDefinition here would load Blazor's endpoint assembly into every app.
    private readonly ImportMapPolicies? _importMaps;

    private FrameworkAssets(FrozenSet<string> staticScriptRoutes, IFileProvider? webRoot, bool hasPages, bool hasImportMaps)
    {
        _staticScriptRoutes = staticScriptRoutes;
        _webRoot = webRoot;
        HasPages = hasPages;
        if (hasImportMaps)
        {
            _importMaps = ImportMapPolicies.Create();
        }
    }

    /// <summary>True when the app renders HTML from Razor components, Razor Pages or MVC views.</summary>
    public bool HasPages { get; }

    /// <summary>True when some endpoint carries an import map that the framework renders inline.</summary>
    public bool HasImportMaps => _importMaps is not null;

    /// <param name="dataSources">The application's endpoints.</param>
    /// <param name="webRoot">The web root, for <c>UseStaticFiles</c> scripts.</param>
    /// <param name="developmentScripts">Scripts a development server injects (dotnet watch's browser refresh), as app paths.</param>
    public static FrameworkAssets Discover(IEnumerable<EndpointDataSource> dataSources, IFileProvider? webRoot, IEnumerable<string> developmentScripts)
    {
        var routes = new HashSet<string>(developmentScripts, StringComparer.OrdinalIgnoreCase);
        var hasPages = false;
        var hasImportMaps = false;
        var staticAssets = LoadedAssemblies.Contains(LoadedAssemblies.StaticAssets);
        var components = LoadedAssemblies.Contains(LoadedAssemblies.ComponentEndpoints);
        var mvc = LoadedAssemblies.Contains(LoadedAssemblies.MvcAbstractions);
        foreach (var source in dataSources)
        {
            foreach (var endpoint in source.Endpoints)
            {
                var metadata = endpoint.Metadata;
                if (staticAssets && StaticAssetRoute(metadata) is { } route)
                {
                    if (IsScriptFile(route))
                    {
                        routes.Add("/" + route.TrimStart('/'));
                    }

                    continue;
                }

                hasPages |= (components && IsComponent(metadata)) || (mvc && IsAction(metadata));
                hasImportMaps |= components && HasImportMap(metadata);
            }
        }

        return new FrameworkAssets(routes.ToFrozenSet(StringComparer.OrdinalIgnoreCase), webRoot, hasPages, hasImportMaps);
    }

    // Each framework type is named only in its own method, which runs only when its assembly is loaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? StaticAssetRoute(EndpointMetadataCollection metadata) => metadata.GetMetadata<StaticAssetDescriptor>()?.Route;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsComponent(EndpointMetadataCollection metadata) => metadata.GetMetadata<ComponentTypeMetadata>() is not null;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsAction(EndpointMetadataCollection metadata) => metadata.GetMetadata<ActionDescriptor>() is not null;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool HasImportMap(EndpointMetadataCollection metadata) => metadata.GetMetadata<ImportMapDefinition>() is not null;

    private static bool IsScriptFile(string path) =>
        path.EndsWith(".js", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".mjs", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether this response's tags loading static scripts get the nonce: an HTML page of the app under a policy
    /// whose scripts are allowed by nonce.
    /// </summary>
    public static bool Applies(HttpContext context, SecureHeadersRuntime runtime)
    {
        var contentType = context.Response.ContentType;
        if (contentType is null || !(contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var policy = runtime.ResolveStatic(context, out var disabled, out var decided);
        if (disabled)
        {
            return false;
        }

        // The provider chooses when the response starts; until then, assume the nonce is needed if any policy uses
        // one (a nonce nobody checks costs nothing but the page's no-store).
        return !decided && runtime.Provider is not null ? runtime.AnyScriptNonce : policy is { ScriptsUseNonce: true };
    }

    /// <summary>
    /// Whether <paramref name="url"/>, as written in a page at <paramref name="pathBase"/> + <paramref name="path"/>
    /// with an optional <c>&lt;base href&gt;</c>, is one of the application's static script files: a route of
    /// <c>MapStaticAssets</c>, or a <c>.js</c>/<c>.mjs</c> file in the web root (<c>UseStaticFiles</c>).
    /// </summary>
    public bool IsStaticScript(string url, string? baseHref, string host, string? pathBase, string? path)
    {
        if (ResolvePath(url, baseHref, host, (pathBase ?? string.Empty) + (path ?? "/")) is not { } resolved)
        {
            return false;
        }

        var appPath = resolved;
        if (!string.IsNullOrEmpty(pathBase))
        {
            if (!resolved.StartsWith(pathBase + "/", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            appPath = resolved[pathBase.Length..];
        }

        if (_staticScriptRoutes.Contains(appPath))
        {
            return true;
        }

        if (_webRoot is null || !IsScriptFile(appPath) || appPath.Contains("/.", StringComparison.Ordinal))
        {
            return false;
        }

        if (_webRootScripts.TryGetValue(appPath, out var known))
        {
            return known;
        }

        var file = _webRoot.GetFileInfo(appPath);
        var exists = file.Exists && !file.IsDirectory;
        if (_webRootScripts.Count < MaxRememberedFiles)
        {
            _webRootScripts.TryAdd(appPath, exists);
        }

        return exists;
    }

    /// <summary>The absolute path a same-origin URL points to, or null for other origins and non-HTTP schemes.</summary>
    internal static string? ResolvePath(string url, string? baseHref, string host, string documentPath)
    {
        url = url.Trim();
        if (url.Length == 0 || url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith('\\'))
        {
            return null;
        }

        // A fixed origin stands for the page's own; what resolves to another origin is not the app's.
        var origin = new Uri("https://" + (host.Length == 0 ? "localhost" : host) + "/");
        if (!Uri.TryCreate(origin, documentPath, out var document))
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(baseHref) && Uri.TryCreate(document, baseHref.Trim(), out var based))
        {
            document = based;
        }

        if (!Uri.TryCreate(document, url, out var resolved) || !string.Equals(resolved.Authority, origin.Authority, StringComparison.OrdinalIgnoreCase)
            || resolved.Scheme is not ("https" or "http"))
        {
            return null;
        }

        return Uri.UnescapeDataString(resolved.AbsolutePath);
    }

    /// <summary>
    /// The policy with the SHA-256 of the response's import map (its endpoint's <c>ImportMapDefinition</c>) allowed for
    /// scripts, or the policy itself when the endpoint has none: the framework renders the map inline at run time
    /// (<c>ImportMap</c> component, <c>script type="importmap"</c> tag helper), so it cannot carry a build-time hash,
    /// and a nonce on it would need a markup change. Cached per policy and map.
    /// </summary>
    public CompiledPolicy WithImportMapOf(HttpContext context, CompiledPolicy policy) =>
        _importMaps is not null && RequestFeatures.Endpoint(context)?.Metadata.GetMetadata<ImportMapDefinition>() is { } map ? _importMaps.Get(policy, map) : policy;

    private sealed class ImportMapPolicies
    {
        private readonly ConcurrentDictionary<(CompiledPolicy Policy, ImportMapDefinition Map), CompiledPolicy> _cache = new();

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static ImportMapPolicies Create() => new();

        public CompiledPolicy Get(CompiledPolicy policy, ImportMapDefinition map) =>
            _cache.Count > 256 && !_cache.ContainsKey((policy, map))
                ? Create(policy, map)
                : _cache.GetOrAdd((policy, map), static key => Create(key.Policy, key.Map));

        private static CompiledPolicy Create(CompiledPolicy policy, ImportMapDefinition map) =>
            policy.WithScriptSources([CspHashes.Compute(map.ToString())]);
    }
}
