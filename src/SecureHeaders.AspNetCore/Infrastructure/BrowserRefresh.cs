using SecureHeaders.Csp;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// What <c>dotnet watch</c> adds to pages in Development: its browser-refresh middleware (a hosting startup of the
/// SDK) appends <c>&lt;script src="/_framework/aspnetcore-browser-refresh.js"&gt;</c> before <c>&lt;/body&gt;</c>, and
/// that script opens a WebSocket to the watcher at the URLs it passes in
/// <c>ASPNETCORE_AUTO_RELOAD_WS_ENDPOINT</c> (<c>ws://localhost:port</c>, and <c>wss://</c> with HTTPS). Under the
/// Development profile SecureHeaders gives that tag the response's nonce and allows exactly those URLs in
/// <c>connect-src</c>; in any other profile, or without the variable, nothing is added.
/// </summary>
internal static class BrowserRefresh
{
    internal const string ScriptPath = "/_framework/aspnetcore-browser-refresh.js";
    internal const string EndpointVariable = "ASPNETCORE_AUTO_RELOAD_WS_ENDPOINT";

    /// <summary>True when this process runs under <c>dotnet watch</c> with browser refresh.</summary>
    public static bool Active => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable));

    /// <summary>The watcher's WebSocket origins as <c>connect-src</c> sources, or null when there are none.</summary>
    public static IReadOnlyList<CspSource>? ConnectSources(string? endpoints)
    {
        if (string.IsNullOrWhiteSpace(endpoints))
        {
            return null;
        }

        var sources = new List<CspSource>();
        foreach (var part in endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Only what the script connects to: a ws: or wss: origin (a value that is not one is not used).
            if (Uri.TryCreate(part, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss" && uri.Host.Length > 0)
            {
                var source = CspSource.Parse(uri.GetLeftPart(UriPartial.Authority));
                if (!sources.Contains(source))
                {
                    sources.Add(source);
                }
            }
        }

        return sources.Count == 0 ? null : sources;
    }
}
