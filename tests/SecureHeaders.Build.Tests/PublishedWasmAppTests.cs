using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecureHeaders.Build.StaticHosting;

namespace SecureHeaders.Build.Tests;

/// <summary>What `dotnet publish` of a standalone Blazor WebAssembly app writes, checked against its published index.html.</summary>
[Collection(PublishedWasmAppGroup.Name)]
public sealed partial class PublishedWasmAppTests(PublishedWasmApp app)
{
    [GeneratedRegex("<script\\b([^>]*)>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Scripts();

    [GeneratedRegex("^add_header Content-Security-Policy \"(.*)\" always;$", RegexOptions.Multiline)]
    private static partial Regex NginxCsp();

    [Fact]
    public void Publish_writes_the_three_files_and_says_where()
    {
        app.AssertPublished();
        foreach (var file in new[] { Path.Combine(app.PublishDirectory, StaticHostGenerator.NginxFileName), Path.Combine(app.SiteDirectory, StaticHostGenerator.NetlifyFileName), Path.Combine(app.SiteDirectory, StaticHostGenerator.AzureFileName) })
        {
            Assert.True(File.Exists(file), file + " was not written.\n" + app.Output);
            Assert.Contains("SecureHeaders -> " + file, app.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_policy_pins_exactly_the_published_index_html_inline_scripts()
    {
        app.AssertPublished();
        var index = File.ReadAllText(Path.Combine(app.SiteDirectory, "index.html"));

        // Computed here without the library's scanner: the text of every <script> without src, as the browser hashes it.
        var inline = Scripts().Matches(index).Where(m => !m.Groups[1].Value.Contains("src=", StringComparison.OrdinalIgnoreCase)).Select(m => m.Groups[2].Value).ToList();
        var importMap = Assert.Single(inline);
        Assert.Contains("\"imports\"", importMap, StringComparison.Ordinal); // filled in at publish: the hash is of the published text
        var expected = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap.Replace("\r\n", "\n", StringComparison.Ordinal)))) + "'";

        foreach (var csp in PoliciesOfTheThreeFiles())
        {
            var scriptSrc = csp.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal)).Split(' ')[1..];
            Assert.Equal(["'self'", "'wasm-unsafe-eval'", expected], scriptSrc);
            Assert.DoesNotContain("'unsafe-inline'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("nonce", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_three_files_carry_the_same_headers()
    {
        app.AssertPublished();
        var nginx = File.ReadAllLines(Path.Combine(app.PublishDirectory, StaticHostGenerator.NginxFileName))
            .Where(l => l.StartsWith("add_header ", StringComparison.Ordinal))
            .Select(l => l["add_header ".Length..l.IndexOf(' ', "add_header ".Length)]).ToList();
        var netlify = File.ReadAllLines(Path.Combine(app.SiteDirectory, StaticHostGenerator.NetlifyFileName))
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l[2..l.IndexOf(':', StringComparison.Ordinal)]).ToList();
        using var azure = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.SiteDirectory, StaticHostGenerator.AzureFileName)));
        var azureNames = azure.RootElement.GetProperty("globalHeaders").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(nginx, netlify);
        Assert.Equal(nginx, azureNames);
        foreach (var header in new[] { "Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy" })
        {
            Assert.Contains(header, nginx);
        }

        // The same policy, except that nginx (which may serve plain HTTP) leaves out upgrade-insecure-requests.
        var policies = PoliciesOfTheThreeFiles();
        Assert.DoesNotContain("upgrade-insecure-requests", policies[0], StringComparison.Ordinal);
        Assert.Contains("upgrade-insecure-requests", policies[1], StringComparison.Ordinal);
        Assert.Single(policies.Select(StaticHostGeneratorTests.WithoutUpgrade).Distinct());
    }

    private List<string> PoliciesOfTheThreeFiles()
    {
        var nginx = NginxCsp().Match(File.ReadAllText(Path.Combine(app.PublishDirectory, StaticHostGenerator.NginxFileName))).Groups[1].Value;
        var netlify = File.ReadAllLines(Path.Combine(app.SiteDirectory, StaticHostGenerator.NetlifyFileName)).Single(l => l.StartsWith("  Content-Security-Policy: ", StringComparison.Ordinal))["  Content-Security-Policy: ".Length..];
        using var azure = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.SiteDirectory, StaticHostGenerator.AzureFileName)));
        return [nginx, netlify, azure.RootElement.GetProperty("globalHeaders").GetProperty("Content-Security-Policy").GetString()!];
    }
}
