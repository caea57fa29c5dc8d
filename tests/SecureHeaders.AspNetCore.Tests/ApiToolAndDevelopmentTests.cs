using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.Csp;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// API tool presets layered on the strict policy through configuration, only on their paths; dotnet watch's
/// browser-refresh WebSocket allowed in the Development profile only.
/// </summary>
public sealed class ApiToolAndDevelopmentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> ToolSettings = new()
    {
        ["SecureHeaders:ContentSecurityPolicy:Presets:0"] = "StrictWithBasic",
        ["SecureHeaders:Policies:swagger:ContentSecurityPolicy:Presets:0"] = "SwaggerUi",
        ["SecureHeaders:Policies:redoc:ContentSecurityPolicy:Presets:0"] = "ReDoc",
        ["SecureHeaders:Policies:scalar:ContentSecurityPolicy:Presets:0"] = "Scalar",
        ["SecureHeaders:PathPolicies:/swagger"] = "swagger",
        ["SecureHeaders:PathPolicies:/api-docs"] = "redoc",
        ["SecureHeaders:PathPolicies:/scalar"] = "scalar",
    };

    private static void MapPages(WebApplication app)
    {
        foreach (var path in new[] { "/", "/swagger/index.html", "/swaggerish", "/api-docs/index.html", "/scalar/v1" })
        {
            app.MapGet(path, () => Results.Text("<p>page</p>", "text/html"));
        }
    }

    private static async Task<CspPolicy> Csp(WebApplication app, string path) =>
        CspPolicy.Parse((await app.Https().GetAsync(path, Ct)).Header("Content-Security-Policy")!);

    private static string Sources(CspPolicy policy, string directive) => policy.Find(directive)?.ToString() ?? "(none)";

    [Fact]
    public async Task Tool_presets_replace_scripts_and_styles_on_their_paths_and_keep_the_rest_of_the_strict_policy()
    {
        await using var app = await TestApp.StartAsync(settings: ToolSettings, map: MapPages);

        var site = await Csp(app, "/");
        Assert.Matches("^script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'unsafe-inline' https:$", Sources(site, "script-src"));
        Assert.DoesNotContain("'unsafe-inline'", Sources(site, "style-src"), StringComparison.Ordinal);
        Assert.Equal(Sources(site, "script-src").Split("'nonce-")[0], Sources(await Csp(app, "/swaggerish"), "script-src").Split("'nonce-")[0]); // a segment, not a prefix

        // Swagger UI and ReDoc: their own script and style directives, no nonce (it would switch 'unsafe-inline' off),
        // and the strict policy's other directives.
        var swagger = await Csp(app, "/swagger/index.html");
        Assert.Equal("script-src 'self'", Sources(swagger, "script-src"));
        Assert.Equal("style-src 'self' 'unsafe-inline'", Sources(swagger, "style-src"));
        Assert.Equal("object-src 'none'", Sources(swagger, "object-src"));
        Assert.Equal("frame-ancestors 'none'", Sources(swagger, "frame-ancestors"));
        var redoc = await Csp(app, "/api-docs/index.html");
        Assert.Equal("script-src 'self'", Sources(redoc, "script-src"));
        Assert.Equal("style-src 'self' 'unsafe-inline' https://fonts.googleapis.com", Sources(redoc, "style-src"));
        Assert.Equal("img-src 'self' data: https://cdn.redoc.ly", Sources(redoc, "img-src"));
        Assert.DoesNotContain("otel", redoc.ToString(), StringComparison.Ordinal);

        // Scalar: scripts stay on the nonce with 'strict-dynamic' (Scalar nonces its tags), styles are replaced.
        var scalar = await Csp(app, "/scalar/v1");
        Assert.Matches("^script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'unsafe-inline' https:$", Sources(scalar, "script-src"));
        Assert.Equal("style-src 'self' 'unsafe-inline'", Sources(scalar, "style-src"));
        Assert.Equal("font-src 'self' https://fonts.scalar.com", Sources(scalar, "font-src"));
        Assert.DoesNotContain("unsafe-eval", scalar.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Layering_in_code_gives_the_same_result_as_a_presets_list()
    {
        var layered = CspPresets.Combine(CspPresets.StrictWithBasic, CspPresets.SwaggerUi);
        Assert.Equal("script-src 'self'", Sources(layered, "script-src"));
        Assert.Equal("base-uri 'self'", Sources(layered, "base-uri"));
        var options = new Headers.ContentSecurityPolicyOptions().Use(CspPresets.StrictWithBasic).Merge(CspPresets.ReDoc);
        Assert.Equal(["'self'"], options.Directives["script-src"]);

        // A policy equal to a preset but not the preset itself merges: replacing is the presets' own behaviour.
        var lookalike = CspPolicy.Parse(CspPresets.SwaggerUi.ToString());
        Assert.Contains("'strict-dynamic'", Sources(CspPresets.Layer(CspPresets.StrictWithBasic, lookalike), "script-src"), StringComparison.Ordinal);
        Assert.True(CspPresets.ReplacesScripts("swaggerui"));
        Assert.False(CspPresets.ReplacesScripts("Scalar"));
        Assert.True(CspPresets.ReplacesStyles("Scalar"));
    }

    [Theory]
    [InlineData("Development", "ws://localhost:5399,wss://localhost:5398", "connect-src 'self' ws://localhost:5399 wss://localhost:5398")]
    [InlineData("Development", "ws://localhost:5399", "connect-src 'self' ws://localhost:5399")]
    [InlineData("Production", "ws://localhost:5399,wss://localhost:5398", "connect-src 'self'")] // only in Development
    [InlineData("Development", null, "connect-src 'self'")] // not under dotnet watch
    [InlineData("Development", "ws://localhost:1; script-src *,javascript:alert(1),https://evil.example", "connect-src 'self'")] // not WebSocket origins
    public async Task The_dotnet_watch_refresh_socket_is_allowed_in_development_only(string environment, string? endpoints, string expected)
    {
        var settings = new Dictionary<string, string?>(ToolSettings) { [BrowserRefresh.EndpointVariable] = endpoints };
        await using var app = await TestApp.StartAsync(settings: settings, environment: environment, map: MapPages);

        Assert.Equal(expected, Sources(await Csp(app, "/"), "connect-src"));
        var swagger = Sources(await Csp(app, "/swagger/index.html"), "connect-src");
        Assert.Equal(expected, swagger); // named policies too
    }

    [Fact]
    public void The_injected_refresh_script_counts_as_the_apps_own_static_script_only_when_registered()
    {
        var withWatch = FrameworkAssets.Discover([], webRoot: null, [BrowserRefresh.ScriptPath]);
        Assert.True(withWatch.IsStaticScript("/_framework/aspnetcore-browser-refresh.js", null, "example.com", null, "/page"));
        Assert.False(withWatch.IsStaticScript("https://evil.example/_framework/aspnetcore-browser-refresh.js", null, "example.com", null, "/page"));
        var without = FrameworkAssets.Discover([], webRoot: null, []);
        Assert.False(without.IsStaticScript("/_framework/aspnetcore-browser-refresh.js", null, "example.com", null, "/page"));
    }
}
