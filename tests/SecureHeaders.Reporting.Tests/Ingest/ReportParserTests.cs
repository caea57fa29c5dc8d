using System.Text;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.Tests.Ingest;

public class ReportParserTests
{
    private static readonly ParseLimits Limits = new(16, 100);

    private static (ParseStatus Status, List<RawReport> Reports, int Skipped, int Invalid) Parse(string json, ParseLimits? limits = null)
    {
        var list = new List<RawReport>();
        var status = ReportParser.Parse(Encoding.UTF8.GetBytes(json), limits ?? Limits, list, out var skipped, out var invalid);
        return (status, list, skipped, invalid);
    }

    [Fact]
    public void Reads_report_uri_format_with_kebab_case_fields()
    {
        var (status, reports, _, _) = Parse(Payloads.ChromeLegacy());
        Assert.Equal(ParseStatus.Ok, status);
        var r = Assert.Single(reports);
        Assert.Equal(ReportKind.Csp, r.Kind);
        Assert.Equal("https://shop.example.com/cart?session=secret#top", r.DocumentUrl);
        Assert.Equal("https://cdn.example.net/lib.js?v=1", r.BlockedUrl);
        Assert.Equal("script-src-elem", r.EffectiveDirective);
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("enforce", r.Disposition);
    }

    [Fact]
    public void Reads_reporting_api_batch_with_camel_case_body()
    {
        var (status, reports, _, _) = Parse(Payloads.ReportingApiBatch(Payloads.ReportingApiItem(), Payloads.ReportingApiItem(blocked: "eval", age: 500)));
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(2, reports.Count);
        Assert.Equal("inline", reports[0].BlockedUrl);
        Assert.Equal("alert(1)", reports[0].Sample);
        Assert.Equal(3, reports[0].LineNumber);
        Assert.Equal(500, reports[1].AgeMilliseconds);
        Assert.Equal("https://shop.example.com/", reports[1].Url);
    }

    [Fact]
    public void Reads_numbers_sent_as_strings()
    {
        var r = Assert.Single(Parse(Payloads.FirefoxLegacy()).Reports);
        Assert.Equal(12, r.LineNumber);
        Assert.Equal(4, r.ColumnNumber);
        Assert.Null(r.EffectiveDirective);
        Assert.Equal("script-src 'self' 'report-sample'", r.ViolatedDirective);
    }

    [Theory]
    [InlineData("blocked-uri")]
    [InlineData("blockedURL")]
    [InlineData("blocked_uri")]
    [InlineData("blockedURI")]
    [InlineData("Blocked-Url")]
    [InlineData("blocked\\u002Duri")]
    public void Field_name_spellings_map_to_one_field(string name)
    {
        var json = $$$"""{"csp-report":{"{{{name}}}":"https://a.example/x","effective-directive":"img-src"}}""";
        Assert.Equal("https://a.example/x", Assert.Single(Parse(json).Reports).BlockedUrl);
    }

    [Fact]
    public void Maps_every_reporting_api_type_and_drops_unknown_ones()
    {
        var json = """
            [{"type":"csp-violation","body":{}},{"type":"coop","body":{}},{"type":"coep","body":{}},
             {"type":"permissions-policy-violation","body":{}},{"type":"integrity-violation","body":{}},
             {"type":"deprecation","body":{}},{"type":"intervention","body":{}},{"type":"network-error","body":{}},{"body":{}}]
            """;
        var (status, reports, _, invalid) = Parse(json);
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(
            [ReportKind.Csp, ReportKind.Coop, ReportKind.Coep, ReportKind.PermissionsPolicy, ReportKind.Integrity, ReportKind.Deprecation, ReportKind.Intervention],
            reports.Select(r => r.Kind));
        Assert.Equal(2, invalid);
    }

    [Fact]
    public void Caps_a_batch_of_ten_thousand_items()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append("""{"type":"csp-violation","body":{"blockedURL":"eval","effectiveDirective":"script-src"}}""");
        }

        var (status, reports, skipped, _) = Parse(sb.Append(']').ToString());
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Equal(100, reports.Count);
        Assert.Equal(9_900, skipped);
    }

    [Fact]
    public void Refuses_nesting_deeper_than_the_limit_without_recursing()
    {
        Assert.Equal(ParseStatus.Ok, Parse(Payloads.Deeply(10)).Status);
        Assert.Equal(ParseStatus.Malformed, Parse(Payloads.Deeply(100_000)).Status);
    }

    [Fact]
    public void Truncates_huge_strings()
    {
        var huge = new string('a', 50_000);
        var r = Assert.Single(Parse($$$"""{"csp-report":{"blocked-uri":"https://x.example/{{{huge}}}","script-sample":"{{{huge}}}","effective-directive":"img-src"}}""").Reports);
        Assert.Equal(ParseLimits.MaxUrlChars, r.BlockedUrl!.Length);
        Assert.Equal(ParseLimits.MaxSampleChars, r.Sample!.Length);
    }

    [Fact]
    public void Truncation_never_splits_a_utf8_sequence()
    {
        // 'é' is two bytes: a cut at an odd byte count must step back to a whole character.
        var sample = new string('é', 300);
        var r = Assert.Single(Parse($$$"""{"csp-report":{"script-sample":"{{{sample}}}","effective-directive":"script-src"}}""").Reports);
        Assert.All(r.Sample!, c => Assert.Equal('é', c));
        Assert.Equal(ParseLimits.MaxSampleChars / 2, r.Sample!.Length);
    }

    [Fact]
    public void Truncates_escaped_strings_without_splitting_surrogates()
    {
        var emoji = string.Concat(Enumerable.Repeat("\\ud83d\\ude00", 200));
        var r = Assert.Single(Parse($$$"""{"csp-report":{"script-sample":"a{{{emoji}}}","effective-directive":"script-src"}}""").Reports);
        Assert.True(r.Sample!.Length <= ParseLimits.MaxSampleChars);
        Assert.False(char.IsHighSurrogate(r.Sample[^1]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"csp-report\":{}")]
    [InlineData("[1,2")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("{\"csp-report\":{}} trailing")]
    [InlineData("{} {}")]
    [InlineData("{'csp-report':1}")]
    [InlineData("[{\"type\":\"coop\",}]")]
    public void Malformed_json_is_refused(string json) => Assert.Equal(ParseStatus.Malformed, Parse(json).Status);

    [Fact]
    public void Unknown_members_of_any_shape_are_skipped()
    {
        var json = """{"csp-report":{"x":{"y":[1,{"z":null}]},"blocked-uri":"data","effective-directive":"img-src","line-number":true,"n":1.5e3}}""";
        var r = Assert.Single(Parse(json).Reports);
        Assert.Equal("data", r.BlockedUrl);
        Assert.Null(r.LineNumber);
    }

    [Fact]
    public void Non_object_items_in_a_batch_are_counted_not_fatal()
    {
        var (status, reports, _, invalid) = Parse("""[1,"x",null,{"type":"csp-violation","body":{"effectiveDirective":"img-src"}}]""");
        Assert.Equal(ParseStatus.Ok, status);
        Assert.Single(reports);
        Assert.Equal(3, invalid);
    }

    [Fact]
    public void Repeated_and_alternating_field_values_are_each_read_as_sent()
    {
        string Body(string policy, string directive) =>
            $$$"""[{"type":"csp-violation","url":"https://a.example/","body":{"documentURL":"https://a.example/","effectiveDirective":"{{{directive}}}","originalPolicy":"{{{policy}}}","disposition":"enforce"}}]""";
        var sequence = new[] { ("script-src 'self'", "script-src-elem"), ("script-src 'self'", "script-src-elem"), ("img-src 'none'", "img-src"), ("script-src 'self'", "script-src-elem"), ("img-src 'none'", "img-src") };
        foreach (var (policy, directive) in sequence)
        {
            var report = Assert.Single(Parse(Body(policy, directive)).Reports);
            Assert.Equal(policy, report.OriginalPolicy);
            Assert.Equal(directive, report.EffectiveDirective);
        }
    }
}
