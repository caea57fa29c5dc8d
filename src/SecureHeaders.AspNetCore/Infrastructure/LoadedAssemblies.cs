namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Which framework assemblies the application has loaded. An endpoint can only carry metadata, and a container can only
/// hold a service, of a type whose assembly is loaded; asking this first keeps SecureHeaders from loading MVC, Blazor,
/// static assets or output caching into an app that uses none of them (each load costs startup time).
/// </summary>
internal static class LoadedAssemblies
{
    /// <summary>Microsoft.AspNetCore.StaticAssets (<c>MapStaticAssets</c>, <c>StaticAssetDescriptor</c>).</summary>
    public const string StaticAssets = "Microsoft.AspNetCore.StaticAssets";

    /// <summary>Microsoft.AspNetCore.Components.Endpoints (Razor component endpoints, <c>ImportMapDefinition</c>).</summary>
    public const string ComponentEndpoints = "Microsoft.AspNetCore.Components.Endpoints";

    /// <summary>Microsoft.AspNetCore.Mvc.Abstractions (<c>ActionDescriptor</c> of MVC and Razor Pages endpoints).</summary>
    public const string MvcAbstractions = "Microsoft.AspNetCore.Mvc.Abstractions";

    /// <summary>Microsoft.AspNetCore.OutputCaching (<c>IOutputCacheStore</c>).</summary>
    public const string OutputCaching = "Microsoft.AspNetCore.OutputCaching";

    public static bool Contains(string name)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(assembly.GetName().Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
