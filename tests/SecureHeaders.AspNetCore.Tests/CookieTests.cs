using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore.Tests;

public class CookieTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string[]> CookiesAsync(HttpClient client, string path = "/")
    {
        var response = await client.GetAsync(path, Ct);
        return response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
    }

    private static Action<WebApplication> Setting(params string[] cookies) => app => app.MapGet("/", (HttpContext context) =>
    {
        foreach (var cookie in cookies)
        {
            context.Response.Headers.Append("Set-Cookie", cookie);
        }

        return "ok";
    });

    [Fact]
    public async Task Every_cookie_gets_secure_httponly_and_samesite_lax_on_https()
    {
        await using var app = await TestApp.StartAsync(map: Setting("session=abc; path=/", "theme=dark"));
        var cookies = await CookiesAsync(app.Https());

        Assert.Equal(["session=abc; path=/; Secure; SameSite=Lax; HttpOnly", "theme=dark; Secure; SameSite=Lax; HttpOnly"], cookies);
    }

    [Fact]
    public async Task Plain_http_cookies_are_not_made_secure()
    {
        await using var app = await TestApp.StartAsync(o => o.ForceHttps.Enabled = false, map: Setting("a=1"));
        var cookies = await CookiesAsync(app.Http());

        Assert.Equal(["a=1; SameSite=Lax; HttpOnly"], cookies);
    }

    [Fact]
    public async Task Attributes_the_application_chose_are_kept_and_complete_cookies_are_untouched()
    {
        await using var app = await TestApp.StartAsync(map: Setting("strict=1; Secure; SameSite=Strict; HttpOnly", "cross=1; SameSite=None"));
        var cookies = await CookiesAsync(app.Https());

        Assert.Equal("strict=1; Secure; SameSite=Strict; HttpOnly", cookies[0]);
        Assert.Equal("cross=1; SameSite=None; Secure; HttpOnly", cookies[1]);
    }

    [Fact]
    public async Task Per_cookie_override_lets_javascript_read_an_antiforgery_token()
    {
        await using var app = await TestApp.StartAsync(
            settings: new() { ["SecureHeaders:Cookies:Overrides:XSRF-TOKEN:HttpOnly"] = "false", ["SecureHeaders:Cookies:Overrides:XSRF-TOKEN:SameSite"] = "Strict" },
            map: Setting("XSRF-TOKEN=t", "other=o"));
        var cookies = await CookiesAsync(app.Https());

        Assert.Equal("XSRF-TOKEN=t; Secure; SameSite=Strict", cookies[0]);
        Assert.Equal("other=o; Secure; SameSite=Lax; HttpOnly", cookies[1]);
    }

    [Fact]
    public async Task Host_prefix_rules_are_enforced()
    {
        await using var app = await TestApp.StartAsync(map: Setting("__Host-id=1; Domain=example.com; Path=/app", "__Secure-x=2"));
        var cookies = await CookiesAsync(app.Https());

        Assert.Equal("__Host-id=1; Path=/; Secure; SameSite=Lax; HttpOnly", cookies[0]);
        Assert.Equal("__Secure-x=2; Secure; SameSite=Lax; HttpOnly", cookies[1]);
    }

    [Fact]
    public async Task Cookies_written_through_the_framework_api_are_hardened()
    {
        await using var app = await TestApp.StartAsync(map: app => app.MapGet("/", (HttpContext c) =>
        {
            c.Response.Cookies.Append(".AspNetCore.Session", "x");
            return "ok";
        }));
        var cookies = await CookiesAsync(app.Https());

        Assert.Equal(".AspNetCore.Session=x; path=/; Secure; SameSite=Lax; HttpOnly", Assert.Single(cookies));
    }

    [Fact]
    public async Task Hardening_can_be_switched_off()
    {
        await using var app = await TestApp.StartAsync(o => o.Cookies.Enabled = false, map: Setting("a=1"));
        Assert.Equal(["a=1"], await CookiesAsync(app.Https()));
    }
}
