using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// Nonces and caching: a page a server-side cache replays gets a fresh nonce in body and header alike; responses
/// that carry no nonce keep the application's own caching, 304s included.
/// </summary>
public partial class NonceCachingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("'nonce-([A-Za-z0-9+/]{24})'")]
    private static partial Regex HeaderNonce();

    [GeneratedRegex("nonce=\"([A-Za-z0-9+/]{24})\"")]
    private static partial Regex BodyNonces();

    private static void StrictPolicy(SecureHeadersOptions o) => o.ContentSecurityPolicy.Clear()
        .Set("script-src", "'nonce'", "'strict-dynamic'")
        .Set("object-src", "'none'")
        .Set("base-uri", "'none'");

    private static async Task<(string Header, string[] Body, HttpResponseMessage Response)> GetPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = HeaderNonce().Match(response.Header("Content-Security-Policy")!).Groups[1].Value;
        var body = await response.Content.ReadAsStringAsync(Ct);
        return (header, [.. BodyNonces().Matches(body).Select(static m => m.Groups[1].Value)], response);
    }

    private static async Task AssertFreshNoncesFromOneRenderingAsync(WebApplication app, string path, Func<int> renders, int expectedNoncesInBody)
    {
        var client = app.Https();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            var (header, body, response) = await GetPageAsync(client, path);
            Assert.Equal(expectedNoncesInBody, body.Length);
            Assert.All(body, nonce => Assert.Equal(header, nonce));
            Assert.True(seen.Add(header), $"response {i} repeated nonce {header}");
            Assert.False(response.Headers.Contains("X-SecureHeaders-Cached-Nonce"), "the internal slot header was sent");
            Assert.Equal("no-store, max-age=0", response.Header("Cache-Control"));
        }

        Assert.Equal(1, renders());
    }

    [Fact]
    public async Task UseResponseCaching_replays_the_page_with_a_fresh_nonce_each_time()
    {
        var renders = 0;
        await using var app = await TestApp.StartAsync(StrictPolicy, builder: b => b.Services.AddResponseCaching(), map: app =>
        {
            app.UseResponseCaching();
            app.MapGet("/", (HttpContext context) =>
            {
                Interlocked.Increment(ref renders);
                context.Response.Headers.CacheControl = "public, max-age=60";
                var nonce = context.GetCspNonce();
                return Results.Content($"<script nonce=\"{nonce}\">1</script><style nonce=\"{nonce}\">p{{}}</style>", "text/html");
            });
        });

        await AssertFreshNoncesFromOneRenderingAsync(app, "/", () => renders, expectedNoncesInBody: 2);
    }

    [Fact]
    public async Task OutputCache_replays_the_page_with_a_fresh_nonce_each_time()
    {
        var renders = 0;
        await using var app = await TestApp.StartAsync(StrictPolicy, builder: b => b.Services.AddOutputCache(), map: app =>
        {
            app.UseOutputCache();
            app.MapGet("/", (HttpContext context) =>
            {
                Interlocked.Increment(ref renders);
                return Results.Content($"<p>hello</p><script nonce=\"{context.GetCspNonce()}\">1</script>", "text/html");
            }).CacheOutput();
        });

        await AssertFreshNoncesFromOneRenderingAsync(app, "/", () => renders, expectedNoncesInBody: 1);
    }

    [Fact]
    public async Task A_nonce_split_across_cached_segments_is_renewed()
    {
        // The response cache replays its body in 80 KiB segments; put an occurrence across the boundary.
        var renders = 0;
        await using var app = await TestApp.StartAsync(StrictPolicy, builder: b => b.Services.AddResponseCaching(), map: app =>
        {
            app.UseResponseCaching();
            app.MapGet("/big", async (HttpContext context) =>
            {
                Interlocked.Increment(ref renders);
                context.Response.Headers.CacheControl = "public, max-age=60";
                context.Response.ContentType = "text/html";
                var nonce = context.GetCspNonce();
                var head = $"<script nonce=\"{nonce}\">1</script>";
                var filler = new string('x', 81920 - head.Length - "<script nonce=\"".Length - 10);
                var page = head + filler + $"<script nonce=\"{nonce}\">2</script>" + new string('y', 5000) + $"<style nonce=\"{nonce}\"></style>";
                var bytes = Encoding.UTF8.GetBytes(page);
                for (var offset = 0; offset < bytes.Length; offset += 7000)
                {
                    await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(7000, bytes.Length - offset)));
                }
            });
        });

        await AssertFreshNoncesFromOneRenderingAsync(app, "/big", () => renders, expectedNoncesInBody: 3);
    }

    [Fact]
    public async Task A_cached_page_without_a_nonce_keeps_the_application_caching()
    {
        var renders = 0;
        await using var app = await TestApp.StartAsync(StrictPolicy, builder: b => b.Services.AddResponseCaching(), map: app =>
        {
            app.UseResponseCaching();
            app.MapGet("/plain", (HttpContext context) =>
            {
                Interlocked.Increment(ref renders);
                context.Response.Headers.CacheControl = "public, max-age=60";
                return Results.Content("<p>no inline code</p>", "text/html");
            });
        });

        var client = app.Https();
        var first = await client.GetAsync("/plain", Ct);
        var second = await client.GetAsync("/plain", Ct);

        Assert.Equal("public, max-age=60", first.Header("Cache-Control"));
        Assert.Equal("public, max-age=60", second.Header("Cache-Control"));
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(1, renders);
        Assert.NotEqual(HeaderNonce().Match(first.Header("Content-Security-Policy")!).Value, HeaderNonce().Match(second.Header("Content-Security-Policy")!).Value);
    }

    [Fact]
    public async Task Static_files_keep_their_caching_for_200_and_304_under_a_nonce_policy()
    {
        var root = Directory.CreateTempSubdirectory("secureheaders-static-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "site.css"), "p { color: red }", Ct);
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "about.html"), "<p>static page</p>", Ct);
            using var files = new PhysicalFileProvider(root.FullName);
            await using var app = await TestApp.StartAsync(StrictPolicy, map: app =>
            {
                app.UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = files,
                    OnPrepareResponse = static c => c.Context.Response.Headers.CacheControl = "public, max-age=86400",
                });
            });

            var client = app.Https();
            foreach (var path in new[] { "/site.css", "/about.html" })
            {
                var ok = await client.GetAsync(path, Ct);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
                Assert.Equal("public, max-age=86400", ok.Header("Cache-Control"));

                using var revalidate = new HttpRequestMessage(HttpMethod.Get, path);
                revalidate.Headers.IfNoneMatch.Add(ok.Headers.ETag!);
                var notModified = await client.SendAsync(revalidate, Ct);
                Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
                Assert.Equal("public, max-age=86400", notModified.Header("Cache-Control"));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_nonce_page_that_asks_for_client_caching_gets_no_store_and_a_warning()
    {
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        await using var app = await TestApp.StartAsync(StrictPolicy, builder: b => b.Logging.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)), map: app =>
            app.MapGet("/", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=600";
                return Results.Content($"<script nonce=\"{context.GetCspNonce()}\">1</script>", "text/html");
            }));

        var client = app.Https();
        await client.GetAsync("/", Ct);
        var response = await client.GetAsync("/", Ct);

        Assert.Equal("no-store, max-age=0", response.Header("Cache-Control"));
        var warnings = logs.GetSnapshot().Where(static r => r.Id.Name == "NonceCacheControlReplaced").ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("public, max-age=600", warning.Message, StringComparison.Ordinal);
    }
}
