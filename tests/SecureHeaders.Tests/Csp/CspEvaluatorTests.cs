using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;

namespace SecureHeaders.Tests.Csp;

public class CspEvaluatorTests
{
    private static readonly CspEvaluationOptions s_evaluatorOnly = new() { Checks = CspCheckSets.EvaluatorDefault | CspCheckSets.EvaluatorStrict };

    private static string[] Keys(IEnumerable<CspFinding> findings) => [.. findings.Select(static f => $"{f.Check} {f.Directive}{(f.Value is null ? string.Empty : " " + f.Value)}")];

    // The recorded CSP Evaluator outputs of ../shared/reference/reference-graders.md §5.2, with the INFO trusted-types item.
    [Theory]
    [InlineData("script-src 'nonce-R4nd0mN0nc3Base64AAAA' 'strict-dynamic'; object-src 'none'; base-uri 'none'",
        "unsafe-inline-fallback script-src|allowlist-fallback script-src|require-trusted-types-for-scripts require-trusted-types-for")]
    [InlineData("default-src 'self' *; script-src 'self' 'unsafe-inline' *; style-src 'self' 'unsafe-inline'",
        "strict-dynamic script-src|require-trusted-types-for-scripts require-trusted-types-for|script-unsafe-inline script-src 'unsafe-inline'|plain-wildcard script-src *|plain-wildcard default-src *|script-allowlist-bypass script-src 'self'")]
    [InlineData("script-src 'strict-dynamic'",
        "strict-dynamic-not-standalone script-src|allowlist-fallback script-src|require-trusted-types-for-scripts require-trusted-types-for|missing-directives object-src")]
    [InlineData("frame-ancestors 'none'; object-src 'none'",
        "require-trusted-types-for-scripts require-trusted-types-for|missing-directives script-src")]
    [InlineData("default-src 'self'; img-src http://img.example.com",
        "require-trusted-types-for-scripts require-trusted-types-for|script-allowlist-bypass default-src 'self'|src-http img-src http://img.example.com")]
    public void Matches_the_recorded_evaluator_findings(string policy, string expected)
    {
        Assert.Equal(expected.Split('|'), Keys(CspEvaluator.Evaluate(policy, s_evaluatorOnly)));
    }

    [Fact]
    public void Known_bypass_hosts_are_high_and_eval_only_jsonp_needs_unsafe_eval()
    {
        var withoutEval = CspEvaluator.Evaluate("script-src https://www.googletagmanager.com https://ajax.googleapis.com; object-src 'none'", s_evaluatorOnly);
        Assert.Equal(CspFindingSeverity.MediumMaybe, withoutEval.Single(f => f.Value == "https://www.googletagmanager.com").Severity);
        Assert.Equal(CspFindingSeverity.High, withoutEval.Single(f => f.Value == "https://ajax.googleapis.com").Severity);

        var withEval = CspEvaluator.Evaluate("script-src https://www.googletagmanager.com 'unsafe-eval'; object-src 'none'", s_evaluatorOnly);
        Assert.Equal(CspFindingSeverity.High, withEval.Single(f => f.Value == "https://www.googletagmanager.com").Severity);
    }

    [Theory]
    [InlineData("https://cdnjs.cloudflare.com/ajax/libs/angular.js/1.2.16/", CspFindingSeverity.High)]
    [InlineData("https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js", CspFindingSeverity.MediumMaybe)]
    [InlineData("*.gstatic.com", CspFindingSeverity.High)]
    [InlineData("https://example.org", CspFindingSeverity.MediumMaybe)]
    public void Bypass_matching_uses_host_wildcards_and_path_prefixes(string source, CspFindingSeverity severity)
    {
        var findings = CspEvaluator.Evaluate($"script-src {source}; object-src 'none'", s_evaluatorOnly);

        Assert.Equal(severity, findings.Single(f => f.Check == CspChecks.ScriptAllowlistBypass).Severity);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("http://10.0.0.1:8080/x", true)]
    [InlineData("[::1]", true)]
    [InlineData("127.1", true)]
    [InlineData("cdn.example.com", false)]
    public void Ip_sources_are_recognised_like_a_url_parser_would(string source, bool isIp)
    {
        var findings = CspEvaluator.Evaluate($"img-src {source}; default-src 'none'", s_evaluatorOnly);

        Assert.Equal(isIp, findings.Any(f => f.Check == CspChecks.IpSource));
    }

    [Fact]
    public void Ignored_notes_only_on_request()
    {
        const string policy = "script-src 'nonce-R4nd0mN0nc3Base64AAAA' 'unsafe-inline' https:; object-src 'none'; base-uri 'none'";
        Assert.DoesNotContain(CspEvaluator.Evaluate(policy), f => f.Check == CspChecks.Ignored);
        Assert.Equal(3, CspEvaluator.Evaluate(policy, new() { Checks = CspCheckSets.All }).Count(f => f.Check == CspChecks.Ignored));
    }

    [Fact]
    public void Configured_placeholder_counts_as_a_nonce_and_literal_nonces_are_static()
    {
        var strict = CspEvaluator.Evaluate(CspPresets.Strict, new() { ConfiguredPolicy = true });
        Assert.DoesNotContain(strict, f => f.Check is CspChecks.InvalidKeyword or CspChecks.UnsafeInlineFallback or CspChecks.AllowlistFallback or CspChecks.StrictDynamicNotStandalone);
        Assert.Equal(CspFindingSeverity.Info, CspEvaluator.HighestSeverity(strict.Where(static f => f.IsEvaluatorCheck)));

        var header = CspEvaluator.Evaluate(CspPresets.Strict);
        Assert.Contains(header, f => f.Check == CspChecks.InvalidKeyword && f.Value == "'nonce'");

        var literal = CspEvaluator.Evaluate("script-src 'nonce-abcdefgh12345678'", new() { ConfiguredPolicy = true });
        Assert.Contains(literal, f => f.Check == CspChecks.ConfiguredStaticNonce);
    }

    [Fact]
    public void Own_checks_use_own_names()
    {
        var findings = CspEvaluator.Evaluate("default-src 'self'; style-src 'self' 'unsafe-inline'; report-uri /r; block-all-mixed-content; fenced-frame-src 'self'; script-src self");

        Assert.Contains(findings, f => f.Check == CspChecks.MissingFrameAncestors && f.Severity == CspFindingSeverity.Medium);
        Assert.Contains(findings, f => f.Check == CspChecks.MissingFormAction);
        Assert.Contains(findings, f => f.Check == CspChecks.MissingBaseUri);
        Assert.Contains(findings, f => f.Check == CspChecks.ReportUriWithoutReportTo);
        Assert.Contains(findings, f => f.Check == CspChecks.StyleSrcUnsafeInline);
        Assert.Contains(findings, f => f.Check == CspChecks.DeprecatedDirectiveSupport && f.Directive == "block-all-mixed-content" && f.Message.Contains("Firefox", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Check == CspChecks.BrowserSupportGap && f.Directive == "fenced-frame-src" && f.Message.Contains("not in Safari", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Check == CspChecks.UnknownDirective && f.Directive == "fenced-frame-src");
        // The parser's "unquoted keyword" is the Evaluator's invalid-keyword: reported once, under the Evaluator's name.
        Assert.Single(findings, f => f.Value == "self");
        Assert.All(findings.Where(static f => !f.IsEvaluatorCheck), f => Assert.False(CspChecks.IsEvaluatorCheck(f.Check)));
    }

    [Fact]
    public void Parser_findings_without_an_evaluator_equivalent_are_reported()
    {
        var findings = CspEvaluator.Evaluate("script-src 'self'; script-src *; img-src 'none' https:; sandbox allow-scrips");

        Assert.Contains(findings, f => f.Check == "duplicate-directive");
        Assert.Contains(findings, f => f.Check == "none-with-other-sources");
        Assert.Contains(findings, f => f.Check == "invalid-value" && f.Fix == "Did you mean allow-scripts?");
    }

    [Theory]
    [InlineData("DENY", "frame-ancestors 'none'", false)]
    [InlineData("DENY", "frame-ancestors 'self'", true)]
    [InlineData("SAMEORIGIN", "frame-ancestors 'self'", false)]
    [InlineData("ALLOW-FROM https://a.example", "frame-ancestors 'self'", true)]
    [InlineData("bogus", "default-src 'self'", true)]
    public void X_frame_options_is_checked_against_frame_ancestors(string xfo, string policy, bool conflict)
    {
        var findings = CspEvaluator.Evaluate(policy, new() { XFrameOptions = xfo });

        Assert.Equal(conflict, findings.Any(f => f.Check == CspChecks.XFrameOptionsConflict));
    }

    [Fact]
    public void Report_only_needs_a_destination_and_strict_dynamic_alone_is_reported_without_the_strict_set()
    {
        Assert.Contains(CspEvaluator.Evaluate("default-src 'self'", new() { ReportOnly = true }), f => f.Check == CspChecks.ReportOnlyWithoutDestination);
        Assert.DoesNotContain(CspEvaluator.Evaluate("default-src 'self'; report-to csp", new() { ReportOnly = true }), f => f.Check == CspChecks.ReportOnlyWithoutDestination);
        var noStrict = new CspEvaluationOptions { Checks = CspCheckSets.EvaluatorDefault | CspCheckSets.Own };
        Assert.Contains(CspEvaluator.Evaluate("script-src 'strict-dynamic'", noStrict), f => f.Check == CspChecks.StrictDynamicWithoutNonceOrHash);
    }

    [Fact]
    public void Older_csp_versions_change_the_effective_policy()
    {
        const string policy = "script-src 'nonce-R4nd0mN0nc3Base64AAAA' 'unsafe-inline'; object-src 'none'; base-uri 'none'";
        Assert.DoesNotContain(CspEvaluator.Evaluate(policy, s_evaluatorOnly), f => f.Check == CspChecks.ScriptUnsafeInline);
        Assert.Contains(CspEvaluator.Evaluate(policy, s_evaluatorOnly with { CspVersion = 1 }), f => f.Check == CspChecks.ScriptUnsafeInline);
    }

    [Fact]
    public void Every_finding_has_a_message_and_a_kebab_case_name()
    {
        var findings = CspEvaluator.Evaluate("script-src 'self' http: 'unsafe-eval' 'nonce-a$' 127.0.0.1 object-src; reflected-xss; foo:; report-to", new() { Checks = CspCheckSets.All, ReportOnly = true, XFrameOptions = "ALLOW-FROM x" });

        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
            Assert.Matches("^[a-z]+(-[a-z]+)*$", f.Check);
            Assert.Matches("^[a-z]+(-[a-z]+)*$", f.SeverityName);
        });
    }
}
