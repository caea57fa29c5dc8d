using System.Text.Json;
using SecureHeaders.Build.StaticHosting;
using SecureHeaders.Headers;

namespace SecureHeaders.Build.Tests;

public sealed class WriterTests
{
    private static readonly HeaderField[] s_headers =
    [
        new("Content-Security-Policy", "script-src 'self' 'sha256-abc+/=' 'wasm-unsafe-eval'"),
        new("X-Frame-Options", "DENY"),
    ];

    [Fact]
    public void Nginx_writes_one_add_header_always_line_per_header()
    {
        var text = NginxSnippetWriter.Write(s_headers, "secureheaders.json", out var error);

        Assert.Null(error);
        var lines = text!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(
        [
            "add_header Content-Security-Policy \"script-src 'self' 'sha256-abc+/=' 'wasm-unsafe-eval'\" always;",
            "add_header X-Frame-Options \"DENY\" always;",
        ], lines);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("a;b {c}", "\"a;b {c}\"")]
    public void Nginx_quotes_values_so_that_its_parser_reads_them_back(string value, string quoted) =>
        Assert.Equal(quoted, NginxSnippetWriter.Quote(value));

    [Fact]
    public void Nginx_refuses_a_dollar_sign_it_would_expand_as_a_variable()
    {
        var text = NginxSnippetWriter.Write([new("X-Custom", "costs $5")], "x", out var error);

        Assert.Null(text);
        Assert.Contains("X-Custom", error, StringComparison.Ordinal);
        Assert.Contains("'$'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_file_is_one_path_rule_between_markers()
    {
        var text = NetlifyHeadersWriter.Write(s_headers, existing: null);

        Assert.Equal(
            NetlifyHeadersWriter.BeginMarker + "\n/*\n  Content-Security-Policy: script-src 'self' 'sha256-abc+/=' 'wasm-unsafe-eval'\n  X-Frame-Options: DENY\n" + NetlifyHeadersWriter.EndMarker + "\n",
            text);
    }

    [Fact]
    public void Headers_file_keeps_the_users_rules_and_replaces_only_its_block_on_the_next_publish()
    {
        var user = "/assets/*\r\n  Cache-Control: max-age=31536000\r\n";
        var first = NetlifyHeadersWriter.Write(s_headers, user);
        var second = NetlifyHeadersWriter.Write([new("X-Frame-Options", "SAMEORIGIN")], first);

        Assert.StartsWith(NetlifyHeadersWriter.BeginMarker, second, StringComparison.Ordinal);
        Assert.Contains("/assets/*\n  Cache-Control: max-age=31536000\n", second, StringComparison.Ordinal);
        Assert.Contains("  X-Frame-Options: SAMEORIGIN\n", second, StringComparison.Ordinal);
        Assert.DoesNotContain("DENY", second, StringComparison.Ordinal);
        Assert.Single(second.Split(NetlifyHeadersWriter.BeginMarker)[1..]);
    }

    [Fact]
    public void Headers_file_flags_lines_too_long_for_cloudflare()
    {
        var longValue = "script-src " + string.Join(' ', Enumerable.Repeat("'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='", 50));

        Assert.Equal(["Content-Security-Policy"], NetlifyHeadersWriter.TooLongForCloudflare([new("Content-Security-Policy", longValue), new("X-Frame-Options", "DENY")]));
    }

    [Fact]
    public void Static_web_app_config_has_global_headers_with_json_escaping()
    {
        var text = AzureStaticWebAppConfigWriter.Write([.. s_headers, new("X-Quoted", "a \"b\" \\ c")], existing: null, out var error);

        Assert.Null(error);
        using var json = JsonDocument.Parse(text!);
        var global = json.RootElement.GetProperty("globalHeaders");
        Assert.Equal("script-src 'self' 'sha256-abc+/=' 'wasm-unsafe-eval'", global.GetProperty("Content-Security-Policy").GetString());
        Assert.Equal("a \"b\" \\ c", global.GetProperty("X-Quoted").GetString());
        // Readable: CSP quotes and '+' are not turned into \u0027 and \u002B.
        Assert.Contains("'sha256-abc+/='", text, StringComparison.Ordinal);
        Assert.Contains("\"a \\\"b\\\" \\\\ c\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_web_app_config_keeps_the_users_settings_and_replaces_headers_case_insensitively()
    {
        var existing = """
            {
              // routes for the SPA
              "navigationFallback": { "rewrite": "/index.html" },
              "globalHeaders": { "x-frame-options": "SAMEORIGIN", "Cache-Control": "no-cache" },
            }
            """;

        var text = AzureStaticWebAppConfigWriter.Write(s_headers, existing, out var error);

        Assert.Null(error);
        using var json = JsonDocument.Parse(text!);
        Assert.Equal("/index.html", json.RootElement.GetProperty("navigationFallback").GetProperty("rewrite").GetString());
        var global = json.RootElement.GetProperty("globalHeaders").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal("no-cache", global["Cache-Control"]);
        Assert.Equal("DENY", global["X-Frame-Options"]);
        Assert.False(global.ContainsKey("x-frame-options"));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"globalHeaders\": \"DENY\"}")]
    public void Static_web_app_config_that_cannot_take_headers_is_an_error_not_overwritten(string existing)
    {
        Assert.Null(AzureStaticWebAppConfigWriter.Write(s_headers, existing, out var error));
        Assert.NotNull(error);
    }
}
