using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticAssets;
using SecureHeaders.AspNetCore.Infrastructure;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// Framework scripts under a nonce policy without markup changes: tags loading the app's static scripts get the
/// nonce (and nothing inline does), the import map is hashed into the endpoint's policy, and enhanced navigation
/// renders with the document's nonce.
/// </summary>
public partial class FrameworkScriptTests
{
    private const string Nonce = "AAAAAAAAAAAAAAAAAAAAAAAA";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("'nonce-([A-Za-z0-9+/]{24})'")]
    private static partial Regex HeaderNonce();

    private static readonly HashSet<string> StaticScripts = new(StringComparer.OrdinalIgnoreCase) { "/_framework/blazor.web.js", "/js/site.js", "/app/lib.mjs" };

    private static string Scan(string html, int chunk = int.MaxValue, string documentPath = "/page")
    {
        var noncer = new ScriptTagNoncer(Nonce, (url, baseHref) => FrameworkAssets.ResolvePath(url, baseHref, "example.com", documentPath) is { } path && StaticScripts.Contains(path));
        var output = new ArrayBufferWriter<byte>();
        var bytes = Encoding.UTF8.GetBytes(html);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            noncer.Process(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)), output);
        }

        noncer.Complete(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("<script src=\"_framework/blazor.web.js\"></script>", "<script src=\"_framework/blazor.web.js\" nonce=\"" + Nonce + "\"></script>")]
    [InlineData("<SCRIPT type=module src='/js/site.js' async></SCRIPT>", "<SCRIPT type=module src='/js/site.js' async nonce=\"" + Nonce + "\"></SCRIPT>")]
    [InlineData("<script src=/js/site.js?v=abc#x></script>", "<script src=/js/site.js?v=abc#x nonce=\"" + Nonce + "\"></script>")]
    [InlineData("<link rel=\"modulepreload\" href=\"/app/lib.mjs\">", "<link rel=\"modulepreload\" href=\"/app/lib.mjs\" nonce=\"" + Nonce + "\">")]
    [InlineData("<link rel=\"preload\" as=\"script\" href=\"/js/site.js\" />", "<link rel=\"preload\" as=\"script\" href=\"/js/site.js\"  nonce=\"" + Nonce + "\"/>")]
    public void Tags_loading_the_apps_static_scripts_get_the_nonce(string html, string expected) => Assert.Equal(expected, Scan(html));

    [Theory]
    [InlineData("<script>alert(1)</script>")] // inline: never
    [InlineData("<script src=\"/js/site.js\" nonce=\"other\"></script>")] // already has one
    [InlineData("<script src=\"https://evil.example/js/site.js\"></script>")] // another origin
    [InlineData("<script src=\"//evil.example/js/site.js\"></script>")]
    [InlineData("<script src=\"/api/jsonp?cb=x\"></script>")] // a dynamic endpoint, not a static file
    [InlineData("<script src=\"data:text/javascript,alert(1)\"></script>")]
    [InlineData("<link rel=\"stylesheet\" href=\"/js/site.js\">")] // not a script preload
    [InlineData("<style>p{}</style><p style=\"x\" onclick=\"y\">")]
    [InlineData("<!-- <script src=\"/js/site.js\"></script> -->")] // a comment
    [InlineData("<textarea><script src=\"/js/site.js\"></script></textarea>")] // raw text
    [InlineData("<script>document.write('<script src=\"/js/site.js\"></scr' + 'ipt>')</script>")] // inside a script
    [InlineData("<p title=\"<script src=/js/site.js>\">x</p>")] // inside an attribute value
    [InlineData("a < b and <3 <script")] // text and an unfinished tag
    public void Nothing_else_gets_the_nonce(string html) => Assert.Equal(html, Scan(html));

    [Fact]
    public void Relative_urls_resolve_against_the_base_href_or_the_page()
    {
        Assert.Contains("nonce=", Scan("<base href=\"/\"><script src=\"js/site.js\"></script>", documentPath: "/deep/page"), StringComparison.Ordinal);
        Assert.DoesNotContain("nonce=", Scan("<script src=\"js/site.js\"></script>", documentPath: "/deep/page"), StringComparison.Ordinal);
        Assert.Contains("nonce=", Scan("<script src=\"../js/site.js\"></script>", documentPath: "/deep/page"), StringComparison.Ordinal);
        Assert.DoesNotContain("nonce=", Scan("<base href=\"https://evil.example/\"><script src=\"js/site.js\"></script>"), StringComparison.Ordinal);
    }

    [Fact]
    public void Any_split_of_the_stream_gives_the_same_result()
    {
        const string page = "<!DOCTYPE html><html><head><base href=\"/\"><script type=\"importmap\">{\"imports\":{}}</script><!-- a <script src=js/site.js> --></head>"
            + "<body><p title='a > b'>x</p><script>if (a < b) {}</script><script src=\"_framework/blazor.web.js\"></script><textarea></textarea><script src=js/site.js></script></body></html>";
        var whole = Scan(page);
        Assert.Equal(2, Regex.Count(whole, "nonce=\"" + Nonce + "\""));
        for (var chunk = 1; chunk < 40; chunk++)
        {
            Assert.Equal(whole, Scan(page, chunk));
        }
    }

    private static Task<WebApplication> StartPageAppAsync(Action<WebApplication> map, Action<SecureHeadersOptions>? configure = null) => TestApp.StartAsync(
        configure ?? (o => o.ContentSecurityPolicy.UsePreset("StrictWithBasic")),
        map: app =>
        {
            app.MapGet("/_framework/blazor.web.js", () => Results.Text("/* framework */", "text/javascript"))
                .WithMetadata(new StaticAssetDescriptor { Route = "_framework/blazor.web.js", AssetPath = "_framework/blazor.web.js", Selectors = [], Properties = [], ResponseHeaders = [] });
            map(app);
        });

    private sealed class PageComponent : ComponentBase;

    [Fact]
    public async Task Pages_of_the_app_get_the_nonce_on_framework_scripts_and_the_header_matches()
    {
        await using var app = await StartPageAppAsync(app => app.MapGet("/", () => Results.Content(
            "<html><body><script>alert('injected')</script><script src=\"/_framework/blazor.web.js\"></script></body></html>", "text/html"))
            .WithMetadata(new ComponentTypeMetadata(typeof(PageComponent))));

        var response = await app.Https().GetAsync("/", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var nonce = HeaderNonce().Match(response.Header("Content-Security-Policy")!).Groups[1].Value;

        Assert.Contains($"<script src=\"/_framework/blazor.web.js\" nonce=\"{nonce}\"></script>", body, StringComparison.Ordinal);
        Assert.Contains("<script>alert('injected')</script>", body, StringComparison.Ordinal);
        Assert.Equal("no-store, max-age=0", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task Switched_off_the_tags_stay_as_written()
    {
        await using var app = await StartPageAppAsync(
            app => app.MapGet("/", () => Results.Content("<script src=\"/_framework/blazor.web.js\"></script>", "text/html")).WithMetadata(new ComponentTypeMetadata(typeof(PageComponent))),
            o => { o.ContentSecurityPolicy.UsePreset("StrictWithBasic"); o.NonceStaticScripts = false; });

        Assert.Equal("<script src=\"/_framework/blazor.web.js\"></script>", await (await app.Https().GetAsync("/", Ct)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task The_import_map_of_the_endpoint_is_hashed_into_its_policy()
    {
        var map = new ImportMapDefinition(new Dictionary<string, string> { ["./app.js"] = "./app.abc123.js" }, null, null);
        await using var app = await StartPageAppAsync(app =>
        {
            app.MapGet("/", () => Results.Content($"<script type=\"importmap\">{map}</script>", "text/html")).WithMetadata(map, new ComponentTypeMetadata(typeof(PageComponent)));
            app.MapGet("/other", () => Results.Content("<p>no map</p>", "text/html"));
        });

        var expected = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(map.ToString()))) + "'";
        var withMap = (await app.Https().GetAsync("/", Ct)).Header("Content-Security-Policy")!;
        var without = (await app.Https().GetAsync("/other", Ct)).Header("Content-Security-Policy")!;

        Assert.Contains(expected, withMap, StringComparison.Ordinal);
        Assert.Matches("script-src [^;]*'sha256-", withMap);
        Assert.DoesNotContain(expected, without, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hash_is_not_added_where_unsafe_inline_already_allows_inline_scripts()
    {
        var options = new SecureHeadersOptions();
        options.ContentSecurityPolicy.Clear().Set("script-src", "'self'", "'unsafe-inline'");
        var compiled = SecureHeaders.Policies.PolicyCompiler.Compile(options, "default", "SecureHeaders", new SecureHeaders.Configuration.ConfigurationProblems())!;
        var variant = compiled.WithScriptSources([SecureHeaders.Csp.CspHashes.Compute("{}")]);
        Assert.Equal("script-src 'self' 'unsafe-inline'", variant.ContentSecurityPolicy!.StaticValue);
    }

    [Fact]
    public async Task Enhanced_navigation_renders_with_the_document_nonce_and_Blazor_sees_its_own_accept()
    {
        string? seenAccept = null;
        await using var app = await StartPageAppAsync(app => app.MapGet("/next", (HttpContext c) =>
        {
            seenAccept = c.Request.Headers.Accept.ToString();
            return Results.Content($"<style nonce=\"{c.GetCspNonce()}\">p{{}}</style>", "text/html");
        }).WithMetadata(new ComponentTypeMetadata(typeof(PageComponent))));

        const string documentNonce = "dGhlLWRvY3VtZW50cy1ub25j";
        async Task<(string Header, string Body)> Fetch(string site)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/next");
            request.Headers.TryAddWithoutValidation("Accept", EnhancedNavigation.BlazorAccept + "; secureheaders-nonce=" + documentNonce);
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", site);
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "no-cors");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "empty");
            var response = await app.Https().SendAsync(request, Ct);
            return (HeaderNonce().Match(response.Header("Content-Security-Policy")!).Groups[1].Value, await response.Content.ReadAsStringAsync(Ct));
        }

        var same = await Fetch("same-origin");
        Assert.Equal(EnhancedNavigation.BlazorAccept, seenAccept);
        Assert.Equal(documentNonce, same.Header);
        Assert.Contains($"nonce=\"{documentNonce}\"", same.Body, StringComparison.Ordinal);

        // Another site's no-cors fetch can send the same Accept: it gets a fresh nonce.
        var cross = await Fetch("cross-site");
        Assert.Equal(EnhancedNavigation.BlazorAccept, seenAccept);
        Assert.NotEqual(documentNonce, cross.Header);
        Assert.DoesNotContain(documentNonce, cross.Body, StringComparison.Ordinal);
    }
}
