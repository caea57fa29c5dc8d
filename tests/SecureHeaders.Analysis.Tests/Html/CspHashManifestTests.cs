using SecureHeaders.Compatibility;
using SecureHeaders.Csp;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Tests.Html;

public class CspHashManifestTests
{
    private static CspHashManifest Sample() => CspHashManifestScan.FromScan(
    [
        ("Views/Index.cshtml", HtmlInlineScanner.Scan("<script>a()</script>\n<script>b(\"@Model\")</script><script nonce=\"@n\">c()</script>", HtmlDocumentKind.Razor)),
        ("wwwroot/index.html", HtmlInlineScanner.Scan("<style>p{}</style><p onclick=\"go()\" style=\"x:y\"><script>a()</script>")),
    ]);

    [Fact]
    public void Round_trips_through_json_and_loads_from_a_file()
    {
        var manifest = Sample();
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json");
        try
        {
            manifest.Save(path);
            var loaded = CspHashManifest.Load(path);

            Assert.Equal(manifest.Scripts, loaded.Scripts);
            Assert.Equal(manifest.Styles, loaded.Styles);
            Assert.Equal(manifest.Attributes, loaded.Attributes);
            Assert.Equal(manifest.Dynamic, loaded.Dynamic);
            Assert.Single(loaded.ScriptHashes); // a() twice, hashed once
            Assert.Equal(CspHashes.Compute("a()"), loaded.ScriptHashes[0]);
            Assert.Single(loaded.ScriptAttributeHashes);
            Assert.Single(loaded.StyleAttributeHashes);
            Assert.Equal("script", Assert.Single(loaded.Dynamic).Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Applies_hashes_to_script_src_and_style_src()
    {
        var manifest = Sample();

        var policy = manifest.ApplyTo(CspPolicy.Parse("default-src 'self'"));
        Assert.Equal($"default-src 'self'; script-src 'self' {CspHashes.Compute("a()")}; style-src 'self' {CspHashes.Compute("p{}")}", policy.ToString());

        var withAttributes = manifest.ApplyTo(CspPresets.Strict, includeAttributes: true);
        Assert.Contains("'unsafe-hashes' " + CspHashes.Compute("go()"), withAttributes.Find("script-src")!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"version\": 2, \"algorithm\": \"sha256\"}")]
    [InlineData("{\"version\": 1, \"algorithm\": \"md5\"}")]
    [InlineData("{\"version\": 1, \"algorithm\": \"sha256\", \"scripts\": [{\"hash\": \"'sha256-abc'\"}]}")]
    public void Invalid_manifests_say_why(string json)
    {
        var e = Assert.Throws<FormatException>(() => CspHashManifest.Parse(json));
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void Browser_support_comes_from_the_embedded_data()
    {
        var elem = CspDirectives.Find("script-src-elem")!.Support!;
        Assert.Equal("15.4", elem.For(Browser.Safari)!.Added);
        Assert.True(elem.IsSupportedEverywhere);

        var fenced = BrowserSupport.ForCsp("fenced-frame-src")!;
        Assert.True(fenced.IsExperimental);
        Assert.False(fenced.For(Browser.Firefox)!.IsSupported);
        Assert.Contains("not in Safari", fenced.Describe(), StringComparison.Ordinal);

        var mixed = BrowserSupport.ForCsp("block-all-mixed-content")!;
        Assert.True(mixed.IsDeprecated);
        Assert.Equal("122", mixed.For(Browser.Firefox)!.Removed);

        Assert.NotNull(BrowserSupport.ForCsp("'strict-dynamic'"));
        Assert.NotNull(BrowserSupport.ForHeader("x-frame-options"));
        Assert.Contains("Permissions-Policy", BrowserSupport.Headers);
    }
}
