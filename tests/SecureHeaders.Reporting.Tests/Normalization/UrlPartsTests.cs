using SecureHeaders.Reporting.Normalization;

namespace SecureHeaders.Reporting.Tests.Normalization;

public class UrlPartsTests
{
    [Theory]
    [InlineData("https://Shop.Example.com/cart?session=abc#top", "https://shop.example.com", "https://shop.example.com/cart")]
    [InlineData("https://user:pass@example.com:443/a/b?x", "https://example.com", "https://example.com/a/b")]
    [InlineData("http://example.com:80", "http://example.com", "http://example.com")]
    [InlineData("http://example.com:8080/p#f", "http://example.com:8080", "http://example.com:8080/p")]
    [InlineData("wss://rt.example.com:443/socket?token=1", "wss://rt.example.com", "wss://rt.example.com/socket")]
    [InlineData("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443/x")]
    [InlineData("https://[2001:db8::1]/x", "https://[2001:db8::1]", "https://[2001:db8::1]/x")]
    [InlineData("data:image/png;base64,AAAA", "data:", "data:")]
    [InlineData("blob:https://example.com/5f1e", "blob:", "blob:")]
    [InlineData("chrome-extension://abcdef/content.js?x", "chrome-extension://abcdef", "chrome-extension://abcdef/content.js")]
    [InlineData("  https://example.com/app.js  ", "https://example.com", "https://example.com/app.js")]
    [InlineData("HTTPS://example.com/App.js", "https://example.com", "https://example.com/App.js")]
    [InlineData("Custom+Scheme://Host.Example/p", "custom+scheme://host.example", "custom+scheme://host.example/p")]
    public void Reduces_urls(string input, string origin, string withoutQuery)
    {
        Assert.True(UrlParts.TryParse(input, out var parts));
        Assert.Equal(origin, parts.Origin);
        Assert.Equal(withoutQuery, parts.WithoutQuery);
    }

    [Fact]
    public void A_url_already_in_reduced_form_is_kept_as_is()
    {
        const string url = "https://example.com/app.js";
        Assert.True(UrlParts.TryParse(url, out var parts));
        Assert.Same(url, parts.WithoutQuery);
    }

    [Fact]
    public void Repeated_and_interleaved_origins_each_come_out_right()
    {
        var urls = new[]
        {
            ("https://a.example/x", "https://a.example"), ("https://a.example:8443/x", "https://a.example:8443"),
            ("http://a.example/x", "http://a.example"), ("HTTPS://A.EXAMPLE/y", "https://a.example"),
            ("wss://a.example/s", "wss://a.example"), ("https://b.example/", "https://b.example"),
            ("https://c.example/", "https://c.example"), ("https://d.example/", "https://d.example"),
            ("https://e.example/", "https://e.example"), ("https://a.example/z", "https://a.example"),
        };
        for (var round = 0; round < 3; round++)
        {
            foreach (var (url, origin) in urls)
            {
                Assert.True(UrlParts.TryParse(url, out var parts));
                Assert.Equal(origin, parts.Origin);
                Assert.Equal(origin[(origin.IndexOf("//", StringComparison.Ordinal) + 2)..].Split(':')[0], parts.Host);
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("inline")]
    [InlineData("eval")]
    [InlineData("/relative/path")]
    [InlineData("1http://x")]
    [InlineData(":nothing")]
    public void Non_urls_are_not_parsed(string? input) => Assert.False(UrlParts.TryParse(input, out _));
}
