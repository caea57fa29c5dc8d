using System.Security.Cryptography;
using System.Text;
using SecureHeaders.Build.StaticHosting;

namespace SecureHeaders.Build.Tests;

public sealed class StaticHostGeneratorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("secureheaders-static");

    private string Site => Path.Combine(_root.FullName, "wwwroot");

    public StaticHostGeneratorTests() => Directory.CreateDirectory(Site);

    public void Dispose() => _root.Delete(recursive: true);

    private StaticHostResult Run(string? config = null, bool webAssembly = true, StaticHostKind hosts = StaticHostKind.Nginx | StaticHostKind.Netlify | StaticHostKind.Azure)
    {
        string? configFile = null;
        if (config is not null)
        {
            configFile = Path.Combine(_root.FullName, "secureheaders.json");
            File.WriteAllText(configFile, config);
        }

        return StaticHostGenerator.Run(new StaticHostRequest(Site, hosts, Path.Combine(_root.FullName, StaticHostGenerator.NginxFileName), configFile, webAssembly));
    }

    internal static string WithoutUpgrade(string csp) =>
        string.Join("; ", csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(d => d != "upgrade-insecure-requests"));

    private static string Sha256(string text) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text))) + "'";

    [Fact]
    public void Hashes_every_pages_inline_scripts_into_one_policy_for_all_hosts()
    {
        File.WriteAllText(Path.Combine(Site, "index.html"), "<html><head><script type=\"importmap\">{\"imports\":{}}</script></head><body><script>go()</script></body></html>");
        Directory.CreateDirectory(Path.Combine(Site, "help"));
        File.WriteAllText(Path.Combine(Site, "help", "page.html"), "<script>\r\nhelp()\r\n</script>");
        Directory.CreateDirectory(Path.Combine(Site, "_framework"));
        File.WriteAllText(Path.Combine(Site, "_framework", "ignored.html"), "<script>framework()</script>");

        var result = Run();

        Assert.True(result.Succeeded, string.Join("\n", result.Messages));
        Assert.Equal(3, result.WrittenFiles.Count);
        var csp = File.ReadAllLines(Path.Combine(Site, "_headers")).Single(l => l.StartsWith("  Content-Security-Policy: ", StringComparison.Ordinal));
        Assert.Contains(Sha256("{\"imports\":{}}"), csp, StringComparison.Ordinal);
        Assert.Contains(Sha256("go()"), csp, StringComparison.Ordinal);
        // The browser hashes the text after the HTML parser turned CR LF into LF.
        Assert.Contains(Sha256("\nhelp()\n"), csp, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha256("framework()"), csp, StringComparison.Ordinal);
        Assert.Contains("'wasm-unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("nonce", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);

        // The same values in every file.
        var nginx = File.ReadAllText(Path.Combine(_root.FullName, StaticHostGenerator.NginxFileName));
        // nginx may serve plain HTTP, where upgrade-insecure-requests would send WebKit's same-origin requests to https.
        Assert.Contains("upgrade-insecure-requests", csp, StringComparison.Ordinal);
        Assert.Contains("add_header Content-Security-Policy \"" + WithoutUpgrade(csp["  Content-Security-Policy: ".Length..]) + "\" always;", nginx, StringComparison.Ordinal);
        Assert.DoesNotContain("upgrade-insecure-requests", nginx, StringComparison.Ordinal);
        var azure = File.ReadAllText(Path.Combine(Site, StaticHostGenerator.AzureFileName));
        Assert.Contains(Sha256("go()"), azure, StringComparison.Ordinal);
        foreach (var header in new[] { "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy" })
        {
            Assert.Contains("add_header " + header + " ", nginx, StringComparison.Ordinal);
            Assert.Contains("\"" + header + "\"", azure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_WebAssembly_no_wasm_unsafe_eval()
    {
        File.WriteAllText(Path.Combine(Site, "index.html"), "<p>static</p>");

        var result = Run(webAssembly: false, hosts: StaticHostKind.Netlify);

        Assert.True(result.Succeeded);
        Assert.Single(result.WrittenFiles);
        Assert.DoesNotContain("wasm-unsafe-eval", File.ReadAllText(Path.Combine(Site, "_headers")), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_come_from_the_same_SecureHeaders_section_as_appsettings()
    {
        File.WriteAllText(Path.Combine(Site, "index.html"), "<p>static</p>");

        var result = Run("""{ "SecureHeaders": { "XFrameOptions": "SAMEORIGIN", "ContentSecurityPolicy": { "Directives": { "frame-ancestors": [ "'self'" ] } } } }""");

        Assert.True(result.Succeeded, string.Join("\n", result.Messages));
        var headers = File.ReadAllText(Path.Combine(Site, "_headers"));
        Assert.Contains("  X-Frame-Options: SAMEORIGIN\n", headers, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", headers, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nonce_policy_is_an_error_naming_the_setting_and_nothing_is_written()
    {
        File.WriteAllText(Path.Combine(Site, "index.html"), "<script>go()</script>");

        var result = Run("""{ "SecureHeaders": { "ContentSecurityPolicy": { "Presets": [ "StrictWithBasic" ] } } }""");

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Messages, m => m.IsError);
        Assert.Contains("SecureHeaders:ContentSecurityPolicy", error.Message, StringComparison.Ordinal);
        Assert.Contains("nonce", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("secureheaders.json", error.File, StringComparison.Ordinal);
        Assert.Empty(result.WrittenFiles);
        Assert.False(File.Exists(Path.Combine(Site, "_headers")));
    }

    [Fact]
    public void A_configuration_mistake_is_reported_at_its_path()
    {
        File.WriteAllText(Path.Combine(Site, "index.html"), "<p>static</p>");

        var result = Run("""{ "SecureHeaders": { "ReferrerPolicy": "sometimes" } }""");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Messages, m => m.IsError && m.Message.Contains("SecureHeaders:ReferrerPolicy", StringComparison.Ordinal));
        Assert.Empty(result.WrittenFiles);
    }

    [Fact]
    public void Inline_event_handlers_are_warned_about_since_the_policy_blocks_them()
    {
        File.WriteAllText(Path.Combine(Site, "index.html"), "<button onclick=\"go()\">Go</button>");

        var result = Run(hosts: StaticHostKind.Netlify);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Messages);
        Assert.False(warning.IsError);
        Assert.Contains("onclick", warning.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hosts_parse_case_insensitively_and_an_unknown_host_is_named()
    {
        Assert.Equal(StaticHostKind.Nginx | StaticHostKind.Azure, StaticHostGenerator.ParseHosts("NGINX; azure", out var unknown));
        Assert.Null(unknown);
        Assert.Equal(StaticHostKind.Netlify, StaticHostGenerator.ParseHosts("cloudflare", out _));
        StaticHostGenerator.ParseHosts("nginx;apache", out unknown);
        Assert.Equal("apache", unknown);
    }
}
