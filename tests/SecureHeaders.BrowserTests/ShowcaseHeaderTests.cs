namespace SecureHeaders.BrowserTests;

/// <summary>The showcase's per-endpoint policies, checked over real HTTPS on Kestrel.</summary>
[Collection(ShowcaseTests.Name)]
public sealed class ShowcaseHeaderTests(ShowcaseFixture showcase)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var client = showcase.CreateClient();
        return await client.GetAsync(path, Ct);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content) : string.Empty;

    [Fact]
    public async Task Razor_page_attribute_selects_the_widget_policy()
    {
        var widget = await GetAsync("/Widget");
        var home = await GetAsync("/");

        Assert.Contains("frame-ancestors 'self' https://partner.example.com", Header(widget, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, Header(widget, "X-Frame-Options"));
        Assert.Equal("DENY", Header(home, "X-Frame-Options"));
    }

    [Fact]
    public async Task Logout_page_clears_site_data()
    {
        var logout = await GetAsync("/Logout");

        Assert.Equal("\"cache\", \"cookies\", \"storage\"", Header(logout, "Clear-Site-Data"));
        Assert.Equal(string.Empty, Header(await GetAsync("/"), "Clear-Site-Data"));
    }

    [Fact]
    public async Task Api_group_uses_the_api_policy_and_cookies_are_hardened()
    {
        var api = await GetAsync("/api/status");
        var cookie = await GetAsync("/cookie");

        Assert.StartsWith("default-src 'none'; frame-ancestors 'none'", Header(api, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Matches("^showcase-session=[0-9a-f]{32}; path=/; Secure; SameSite=Lax; HttpOnly$", Header(cookie, "Set-Cookie"));
    }

    [Fact]
    public async Task Headers_page_grades_the_site_in_process()
    {
        var page = await GetAsync("/Headers");
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Contains("id=\"grade\"", html, StringComparison.Ordinal);
        Assert.Contains("content-security-policy", html, StringComparison.Ordinal);
        Assert.Contains("csp-implemented-with-no-unsafe", html, StringComparison.Ordinal);
    }
}
