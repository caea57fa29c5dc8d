using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Normalization;

namespace SecureHeaders.Reporting.Tests.Normalization;

public class ReportNormalizerTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly ReportNormalizer Normalizer = new(new NoiseFilter(NoiseDefaults.Schemes, ["*.superfish.com", "ads.example"]));

    private static RawReport Csp(string? blocked, string? effective = "script-src-elem", string? violated = null, string? source = null,
        string document = "https://shop.example.com/a?b=c") => new()
    {
        Kind = ReportKind.Csp,
        BlockedUrl = blocked,
        EffectiveDirective = effective,
        ViolatedDirective = violated,
        SourceFile = source,
        DocumentUrl = document,
    };

    private static NormalizedReport Ok(RawReport raw)
    {
        Assert.Equal(NormalizeResult.Ok, Normalizer.Normalize(raw, Received, out var r));
        return r!;
    }

    [Theory]
    // Network URLs reduce to their origin; query, fragment and userinfo never survive.
    [InlineData("https://cdn.example.net/lib.js?v=1#x", "script-src-elem", "https://cdn.example.net")]
    [InlineData("https://cdn.example.net:8443/lib.js", "script-src-elem", "https://cdn.example.net:8443")]
    [InlineData("wss://rt.example.com/socket?token=1", "connect-src", "wss://rt.example.com")]
    // Keywords that CSP3 §5.3 puts in blockedURL stay keywords.
    [InlineData("inline", "script-src-elem", "inline")]
    [InlineData("eval", "script-src", "eval")]
    [InlineData("wasm-eval", "script-src", "wasm-eval")]
    [InlineData("trusted-types-sink", "require-trusted-types-for", "trusted-types-sink")]
    [InlineData("self", "script-src", "self")]
    [InlineData("'self'", "script-src", "self")]
    // Schemes without authority reduce to the scheme, as browsers also send them bare.
    [InlineData("data", "img-src", "data")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=", "img-src", "data")]
    [InlineData("blob", "worker-src", "blob")]
    [InlineData("blob:https://shop.example.com/0b9c", "worker-src", "blob")]
    // Older Firefox and Safari leave it empty for inline code.
    [InlineData("", "script-src", "inline")]
    [InlineData(null, "style-src-attr", "inline")]
    [InlineData("", "frame-ancestors", "self")]
    public void Reduces_blocked_uri(string? blocked, string directive, string expected) =>
        Assert.Equal(expected, Ok(Csp(blocked, directive)).BlockedUri);

    [Theory]
    [InlineData("script-src-elem", null, "script-src-elem")]
    [InlineData(null, "script-src 'self' 'report-sample'", "script-src")]
    [InlineData("", "IMG-SRC https://a.example", "img-src")]
    [InlineData("  ", "style-src;", "style-src")]
    [InlineData("Script-Src-Elem", "script-src 'self'", "script-src-elem")]
    public void Effective_directive_falls_back_to_the_first_token_of_violated_directive(string? effective, string? violated, string expected) =>
        Assert.Equal(expected, Ok(Csp("https://x.example", effective, violated)).Directive);

    [Fact]
    public void A_csp_report_without_any_directive_is_invalid() =>
        Assert.Equal(NormalizeResult.Invalid, Normalizer.Normalize(Csp("https://x.example", null, null), Received, out _));

    [Theory]
    [InlineData("chrome-extension://abc/inject.js", null)]
    [InlineData("moz-extension://1234/content.js", null)]
    [InlineData("safari-web-extension://x/y.js", null)]
    [InlineData("chrome-extension", null)]
    [InlineData("about", null)]
    [InlineData("https://cdn.superfish.com/x.js", null)]
    [InlineData("https://superfish.com/x.js", null)]
    [InlineData("https://ads.example/x.js", null)]
    [InlineData("inline", "moz-extension://abc/content.js")]
    [InlineData("eval", "chrome-extension://abc/content.js")]
    [InlineData("inline", "https://ads.example/tag.js")]
    public void Extension_and_injected_sources_are_noise(string blocked, string? source) =>
        Assert.Equal(NormalizeResult.Noise, Normalizer.Normalize(Csp(blocked, source: source), Received, out _));

    [Theory]
    [InlineData("file:///C:/Users/me/saved.html")]
    [InlineData("about:blank")]
    [InlineData("chrome-extension://abc/popup.html")]
    public void Reports_about_pages_not_served_over_the_network_are_noise(string document) =>
        Assert.Equal(NormalizeResult.Noise, Normalizer.Normalize(Csp("inline", document: document), Received, out _));

    [Fact]
    public void Keeps_page_and_source_without_query_and_takes_source_host()
    {
        var r = Ok(Csp("https://cdn.example.net/x.js?a=1", source: "https://static.example.com/app.js?v=9#L1"));
        Assert.Equal("https://shop.example.com", r.DocumentOrigin);
        Assert.Equal("https://shop.example.com/a", r.DocumentUrl);
        Assert.Equal("https://cdn.example.net/x.js", r.BlockedUrl);
        Assert.Equal("https://static.example.com/app.js", r.SourceFile);
        Assert.Equal("static.example.com", r.SourceHost);
    }

    [Fact]
    public void Envelope_url_stands_in_for_a_missing_document_url()
    {
        var raw = Csp("eval");
        raw.DocumentUrl = null;
        raw.Url = "https://app.example.org/x?y";
        Assert.Equal("https://app.example.org", Ok(raw).DocumentOrigin);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1500, 1500)]
    [InlineData(-5, 0)]
    [InlineData(90_000_000_000, 0)]
    public void Age_moves_the_timestamp_back_within_reason(long age, long expectedBackMs)
    {
        var raw = Csp("eval");
        raw.AgeMilliseconds = age;
        Assert.Equal(Received.AddMilliseconds(-expectedBackMs), Ok(raw).Timestamp);
    }

    [Theory]
    [InlineData("report", "report")]
    [InlineData("REPORT", "report")]
    [InlineData("enforce", "enforce")]
    [InlineData(null, "enforce")]
    [InlineData("bogus", "enforce")]
    public void Disposition_is_enforce_or_report(string? given, string expected)
    {
        var raw = Csp("eval");
        raw.Disposition = given;
        Assert.Equal(expected, Ok(raw).Disposition);
    }

    [Fact]
    public void Other_report_types_get_a_type_specific_directive()
    {
        Assert.Equal(("coep", "coep:corp", "https://img.other.org"),
            Key(new RawReport { Kind = ReportKind.Coep, Subtype = "corp", BlockedUrl = "https://img.other.org/a.png?q", Url = "https://a.example/" }));
        Assert.Equal(("coop", "coop:navigation-to-response", "https://popup.example"),
            Key(new RawReport { Kind = ReportKind.Coop, Subtype = "navigation-to-response", RelatedUrl = "https://popup.example/x", Url = "https://a.example/" }));
        Assert.Equal(("permissions-policy-violation", "geolocation", ""),
            Key(new RawReport { Kind = ReportKind.PermissionsPolicy, Feature = "geolocation", Url = "https://a.example/" }));
        Assert.Equal(("integrity-violation", "integrity:script", "https://cdn.example"),
            Key(new RawReport { Kind = ReportKind.Integrity, Destination = "script", BlockedUrl = "https://cdn.example/x.js", Url = "https://a.example/" }));
        Assert.Equal(("deprecation", "NavigatorGetUserMedia", ""),
            Key(new RawReport { Kind = ReportKind.Deprecation, Feature = "NavigatorGetUserMedia", Message = "old", Url = "https://a.example/" }));
        Assert.Equal(("intervention", "unknown", ""),
            Key(new RawReport { Kind = ReportKind.Intervention, Url = "https://a.example/" }));
    }

    [Fact]
    public void Integrity_report_only_flag_sets_the_disposition()
    {
        var r = Ok(new RawReport { Kind = ReportKind.Integrity, Destination = "script", ReportOnly = true, Url = "https://a.example/" });
        Assert.Equal("report", r.Disposition);
    }

    private static (string, string, string) Key(RawReport raw)
    {
        var r = Ok(raw);
        return (r.Type, r.Directive, r.BlockedUri);
    }
}
