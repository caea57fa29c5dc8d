using System.Text.Json;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Observatory;
using SecureHeaders.Analysis.Rendering;

namespace SecureHeaders.Analysis.Tests;

public class AnalysisTests
{
    private static SecurityReport Analyze(params (string Name, string Value)[] headers) => SecurityAnalyzer.Analyze(new HeaderSet(headers));

    private static string Result(SecurityReport report, string test) => report.Observatory[test]!.Result;

    [Fact]
    public void Two_hsts_headers_are_invalid_for_the_observatory_but_browsers_use_the_first()
    {
        var report = Analyze(("Strict-Transport-Security", "max-age=31536000"), ("Strict-Transport-Security", "max-age=63072000"));
        Assert.Equal("hsts-header-invalid", Result(report, "strict-transport-security"));
        var finding = Assert.Single(report.Findings, static f => f.Id == "hsts-duplicated");
        Assert.Contains("first", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, static f => f.Id == "hsts-missing");
    }

    [Fact]
    public void Non_numeric_max_age_passes_the_observatory_and_is_a_high_finding()
    {
        var report = Analyze(("Strict-Transport-Security", "max-age=abc"));
        Assert.Equal("hsts-implemented-max-age-at-least-six-months", Result(report, "strict-transport-security"));
        var finding = Assert.Single(report.Findings, static f => f.Id == "hsts-invalid");
        Assert.Equal(FindingSeverity.High, finding.Severity);
        Assert.Equal("SecureHeaders:StrictTransportSecurity:MaxAge", finding.Option);
    }

    [Fact]
    public void Strict_dynamic_without_nonce_is_invalid_for_the_observatory_and_explained()
    {
        var report = Analyze(("Content-Security-Policy", "script-src 'self' 'strict-dynamic'; object-src 'none'"));
        Assert.Equal("csp-header-invalid", Result(report, "content-security-policy"));
        Assert.Contains(report.Findings, static f => f.Id == "strict-dynamic-not-standalone");
    }

    [Fact]
    public void Frame_ancestors_star_earns_the_bonus_but_is_reported()
    {
        var report = Analyze(("Content-Security-Policy", "default-src 'self'; frame-ancestors *"));
        Assert.Equal("x-frame-options-implemented-via-csp", Result(report, "x-frame-options"));
        Assert.Contains(report.Findings, static f => f.Id == "frame-ancestors-allows-any" && f.Severity == FindingSeverity.Medium);
        Assert.Contains(report.Findings, static f => f.Id == "clickjacking-unprotected");
    }

    [Fact]
    public void Cookie_results_are_kept_by_rank_not_by_modifier()
    {
        var report = Analyze(("Strict-Transport-Security", "max-age=31536000"), ("Set-Cookie", "theme=dark"), ("Set-Cookie", "sessionid=1; Secure"));
        Assert.Equal("cookies-session-without-httponly-flag", Result(report, "cookies"));

        var hsts = Analyze(("Strict-Transport-Security", "max-age=31536000"), ("Set-Cookie", "sessionid=1; HttpOnly"), ("Set-Cookie", "pref=1"));
        Assert.Equal("cookies-session-without-secure-flag-but-protected-by-hsts", Result(hsts, "cookies"));
        Assert.Equal(-10, hsts.Observatory["cookies"]!.ScoreModifier);
    }

    [Fact]
    public void Bonuses_count_only_from_an_uncurved_ninety()
    {
        // Helmet without HSTS: penalties -20 leave 80, so the +20 of bonuses is dropped (reference q08).
        var report = Analyze(
            ("Content-Security-Policy", "default-src 'self';frame-ancestors 'self';object-src 'none';script-src 'self';style-src 'self' https: 'unsafe-inline'"),
            ("Cross-Origin-Resource-Policy", "same-origin"), ("Referrer-Policy", "no-referrer"), ("X-Content-Type-Options", "nosniff"));
        Assert.Equal(80, report.Observatory.UncurvedScore);
        Assert.Equal(80, report.Observatory.Score);
        Assert.Equal("B+", report.Observatory.Grade);
    }

    [Theory]
    [InlineData(145, "A+")]
    [InlineData(100, "A+")]
    [InlineData(99, "A")]
    [InlineData(85, "A-")]
    [InlineData(84, "B+")]
    [InlineData(65, "B-")]
    [InlineData(60, "C+")]
    [InlineData(45, "C-")]
    [InlineData(40, "D+")]
    [InlineData(25, "D-")]
    [InlineData(24, "F")]
    [InlineData(0, "F")]
    public void Grade_chart(int score, string grade) => Assert.Equal(grade, ObservatoryScoring.GradeFor(score));

    [Fact]
    public void Reflected_cors_with_credentials_is_restricted_for_the_observatory_and_high_for_us()
    {
        var report = Analyze(("Access-Control-Allow-Origin", "{origin}"), ("Access-Control-Allow-Credentials", "true"));
        Assert.Equal("cross-origin-resource-sharing-implemented-with-restricted-access", Result(report, "cross-origin-resource-sharing"));
        Assert.Contains(report.Findings, static f => f.Id == "cors-reflects-origin-with-credentials" && f.Severity == FindingSeverity.High);
    }

    [Fact]
    public void Two_csp_headers_are_joined_like_node_does()
    {
        var set = new HeaderSet(("Content-Security-Policy", "default-src 'none'"), ("Content-Security-Policy", "script-src 'self'"));
        var report = SecurityAnalyzer.Analyze(set, ObservatoryVersion.Release148);
        Assert.Equal("csp-implemented-with-no-unsafe", Result(report, "content-security-policy"));

        // From 1.6.2 on the joined value is split into its two policies again.
        Assert.Equal("csp-implemented-with-no-unsafe-default-src-none", Result(SecurityAnalyzer.Analyze(set), "content-security-policy"));
        Assert.Contains(report.Findings, static f => f.Id == "csp-multiple-headers");
    }

    [Fact]
    public void Meta_csp_and_referrer_are_read_from_the_html()
    {
        var set = new HeaderSet(("Content-Type", "text/html"))
        {
            Body = "<html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"><meta name=referrer content=no-referrer></head>"
                + "<!-- <meta name=\"referrer\" content=\"unsafe-url\"> --><script src=\"https://cdn.example.com/a.js\"></script></html>",
        };
        var report = SecurityAnalyzer.Analyze(set);
        Assert.Equal("csp-implemented-with-no-unsafe-default-src-none", Result(report, "content-security-policy"));
        Assert.Equal("referrer-policy-private", Result(report, "referrer-policy"));
        Assert.Equal("sri-not-implemented-but-external-scripts-loaded-securely", Result(report, "subresource-integrity"));
        Assert.Contains(report.Findings, static f => f.Id == "script-without-integrity");
    }

    [Fact]
    public void Plain_http_costs_redirection_and_hsts()
    {
        var report = SecurityAnalyzer.Analyze(new HeaderSet(("X-Frame-Options", "DENY")), OfflineTransport.Http);
        Assert.Equal("redirection-missing", Result(report, "redirection"));
        Assert.Equal("hsts-not-implemented-no-https", Result(report, "strict-transport-security"));
        Assert.Contains(report.Findings, static f => f.Id == "https-not-available");
        Assert.Contains(report.Findings, static f => f.Id == "http-not-redirected");
    }

    [Fact]
    public void Unexpected_status_is_an_observatory_error()
    {
        var report = SecurityAnalyzer.Analyze(new HeaderSet(("X-Frame-Options", "DENY")) { StatusCode = 500 });
        Assert.Equal("Site did respond with an unexpected HTTP status code 500.", report.Observatory.Error);
        Assert.Empty(report.Observatory.Tests);
    }

    [Fact]
    public void Deprecated_and_leaking_headers_are_reported_with_options()
    {
        var report = Analyze(("X-XSS-Protection", "1; mode=block"), ("Server", "Apache/2.4.1"), ("X-Powered-By", "PHP/8"), ("Expect-CT", "max-age=1"));
        Assert.Contains(report.Findings, static f => f.Id == "x-xss-protection-enabled" && f.Option == "SecureHeaders:XXssProtection");
        Assert.Equal(2, report.Findings.Count(static f => f.Id == "leaks-implementation-details"));
        Assert.Contains(report.Findings, static f => f.Id == "deprecated-header" && f.Header == "Expect-CT");
    }

    [Fact]
    public void Cookie_findings_cover_prefixes_flags_and_samesite()
    {
        var report = Analyze(("Set-Cookie", "__Host-sess=1; Path=/app; Secure"), ("Set-Cookie", "sessionid=1"), ("Set-Cookie", "a=1; SameSite=Bogus; Secure"), ("Set-Cookie", "b=1; SameSite=None"));
        Assert.Contains(report.Findings, static f => f.Id == "cookie-prefix-violation" && f.Evidence == "__Host-sess");
        Assert.Contains(report.Findings, static f => f.Id == "cookie-without-secure" && f.Evidence == "sessionid" && f.Severity == FindingSeverity.High);
        Assert.Contains(report.Findings, static f => f.Id == "cookie-without-httponly" && f.Evidence == "sessionid");
        Assert.Contains(report.Findings, static f => f.Id == "cookie-samesite-invalid" && f.Evidence == "a");
        Assert.Contains(report.Findings, static f => f.Id == "cookie-samesite-none-without-secure" && f.Evidence == "b");
        Assert.Equal("cookies-session-without-secure-flag", Result(report, "cookies"));
    }

    [Theory]
    [InlineData("{\"X-Frame-Options\": \"DENY\", \"Set-Cookie\": [\"a=1\", \"b=2\"]}", 3)]
    [InlineData("[[\"X-Frame-Options\", \"DENY\"], \"Referrer-Policy: no-referrer\"]", 2)]
    [InlineData("{\"headers\": {\"X-Frame-Options\": \"DENY\"}, \"status\": 403, \"body\": \"<p>\"}", 1)]
    [InlineData("HTTP/1.1 301 Moved\nLocation: /x\n\nHTTP/2 200\ncontent-type: text/html\nx-frame-options: DENY\n", 2)]
    public void Reads_every_saved_shape(string text, int headerCount)
    {
        var set = HeaderSetReader.Parse(text);
        Assert.Equal(headerCount, set.Headers.Length);
        Assert.Equal("DENY", set.GetFirst("x-frame-options"));
    }

    [Fact]
    public void Reader_keeps_repeated_headers_and_reports_bad_input()
    {
        var set = HeaderSetReader.Parse("{\"headers\": [[\"Set-Cookie\", \"a=1\"], [\"set-cookie\", \"b=2\"]], \"status\": 401}");
        Assert.Equal(["a=1", "b=2"], set.GetValues("SET-COOKIE"));
        Assert.Equal(401, set.StatusCode);
        Assert.Throws<FormatException>(() => HeaderSetReader.Parse("not a header"));
        Assert.Throws<FormatException>(() => HeaderSetReader.Parse("{\"headers\": {}, \"status\": \"ok\"}"));
    }

    [Fact]
    public void Json_report_has_the_documented_shape()
    {
        using var json = JsonDocument.Parse(JsonReportWriter.Write(Analyze(("X-Frame-Options", "DENY"))));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        var observatory = root.GetProperty("observatory");
        Assert.Equal(50, observatory.GetProperty("score").GetInt32());
        Assert.Equal("C", observatory.GetProperty("grade").GetString());
        var xfo = observatory.GetProperty("tests").GetProperty("x-frame-options");
        Assert.Equal("x-frame-options-sameorigin-or-deny", xfo.GetProperty("result").GetString());
        Assert.Equal("1.6.3", observatory.GetProperty("version").GetString());
        Assert.Equal(5, observatory.GetProperty("algorithmVersion").GetInt32());
        Assert.Equal(5, xfo.GetProperty("scoreModifier").GetInt32());
        Assert.True(xfo.GetProperty("pass").GetBoolean());
        Assert.Equal(10, observatory.GetProperty("tests").EnumerateObject().Count());
        var finding = root.GetProperty("findings")[0];
        foreach (var property in new[] { "id", "severity", "category", "message", "fix", "option", "header", "evidence" })
        {
            Assert.True(finding.TryGetProperty(property, out _), property);
        }

        Assert.Equal("high", finding.GetProperty("severity").GetString());
    }

    [Fact]
    public void Sarif_has_the_required_2_1_0_structure()
    {
        var reports = new[] { Analyze(("X-Frame-Options", "DENY")), Analyze(("Strict-Transport-Security", "max-age=abc")) };
        using var sarif = JsonDocument.Parse(SarifReportWriter.Write(reports, "1.2.3"));
        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Contains("sarif-2.1.0", root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        var run = Assert.Single(root.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("secureheaders", driver.GetProperty("name").GetString());
        var ruleIds = driver.GetProperty("rules").EnumerateArray().Select(static r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(ruleIds.Count, ruleIds.Distinct().Count());
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        foreach (var result in results)
        {
            var index = result.GetProperty("ruleIndex").GetInt32();
            Assert.Equal(ruleIds[index], result.GetProperty("ruleId").GetString());
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "none", "note", "warning", "error" });
            Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
            var uri = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
            Assert.True(Uri.IsWellFormedUriString(uri, UriKind.Absolute));
        }

        Assert.Contains(results, static r => r.GetProperty("ruleId").GetString() == "hsts-invalid" && r.GetProperty("level").GetString() == "error");
    }

    [Fact]
    public void Text_and_markdown_show_grade_tests_and_fixes()
    {
        var report = Analyze(("X-Frame-Options", "DENY"));
        var text = TextReportWriter.Write(report);
        Assert.Contains("Grade C", text, StringComparison.Ordinal);
        Assert.Contains("hsts-not-implemented", text, StringComparison.Ordinal);
        Assert.Contains("Fix: ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
        Assert.Contains("\u001b[", TextReportWriter.Write(report, color: true), StringComparison.Ordinal);
        var markdown = MarkdownReportWriter.Write([report]);
        Assert.Contains("| x-frame-options | `x-frame-options-sameorigin-or-deny` | +5 | ✅ |", markdown, StringComparison.Ordinal);
    }
}
