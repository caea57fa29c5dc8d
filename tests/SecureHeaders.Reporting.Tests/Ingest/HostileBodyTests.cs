using System.Net;
using System.Text;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.Tests.Ingest;

/// <summary>
/// Bodies an attacker sends instead of reports: every one gets a 4xx, none a 5xx, and no exception leaves the parser.
/// </summary>
public sealed class HostileBodyTests : IAsyncLifetime
{
    private static readonly ParseLimits Limits = new(16, 100);

    private readonly TempDirectory _dir = new();
    private ReportingApp? _app;

    public async ValueTask InitializeAsync() =>
        _app = await ReportingApp.StartAsync(_dir.Path, o => o.RateLimit.Enabled = false);

    public async ValueTask DisposeAsync()
    {
        await _app!.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Lone surrogate escapes in every place a string can be: values the parser copies out, compares or skips, and member names.</summary>
    public static TheoryData<string> LoneSurrogates() => [.. LoneSurrogateBodies()];

    private static List<string> LoneSurrogateBodies()
    {
        var data = new List<string>();
        string[] escapes = ["\\ud800", "\\udfff", "\\udc00\\ud800", "a\\ud83d", "\\ud83d\\u0041"];
        string[] legacyFields = ["document-uri", "blocked-uri", "effective-directive", "violated-directive", "original-policy", "source-file", "script-sample", "disposition", "line-number", "status-code", "unknown-member"];
        foreach (var e in escapes)
        {
            foreach (var field in legacyFields)
            {
                data.Add($$$"""{"csp-report":{"{{{field}}}":"{{{e}}}","effective-directive":"img-src"}}""");
            }

            data.Add($$$"""{"csp-report":{"{{{e}}}":"x"}}""");
            data.Add($$$"""{"{{{e}}}":{"effective-directive":"img-src"}}""");
            data.Add($$$"""{"csp-rep{{{e}}}ort":{"effective-directive":"img-src"}}""");
            data.Add($$$"""[{"type":"{{{e}}}","url":"https://a.example/","body":{}}]""");
            data.Add($$$"""[{"type":"csp-violation","url":"{{{e}}}","body":{"blockedURL":"inline"}}]""");
            data.Add($$$"""[{"type":"csp-violation","url":"https://a.example/","body":{"blockedURL":"{{{e}}}","effectiveDirective":"img-src"}}]""");
            data.Add($$$"""[{"type":"csp-violation","url":"https://a.example/","body":{"sample":"{{{new string('a', 300)}}}{{{e}}}","effectiveDirective":"img-src"}}]""");
            data.Add($$$"""[{"type":"csp-violation","url":"https://a.example/","body":{"{{{e}}}blockedURL":"inline"}}]""");
            data.Add($$$"""[{"user_agent":"{{{e}}}","type":"csp-violation","body":{}}]""");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void The_parser_refuses_lone_surrogates_without_throwing(string body)
    {
        var status = ReportParser.Parse(Encoding.UTF8.GetBytes(body), Limits, [], out _, out _);

        Assert.Equal(ParseStatus.Malformed, status);
    }

    [Theory]
    [InlineData("""{"csp-report":{"effective-directive":"img-src","blocked-uri":"https://x.example/\ud83d\ude00"}}""")]
    [InlineData("""{"csp-report":{"effective-directive":"img-src","script-sample":"\\ud800 is text here"}}""")]
    [InlineData("""{"csp-report":{"effective-directive":"img-src","script-sample":"\\\ud83d\udE00\u00e9\n"}}""")]
    public void Escaped_backslashes_and_surrogate_pairs_are_fine(string body)
    {
        var reports = new List<RawReport>();

        Assert.Equal(ParseStatus.Ok, ReportParser.Parse(Encoding.UTF8.GetBytes(body), Limits, reports, out _, out _));
        Assert.Single(reports);
    }

    [Fact]
    public async Task Lone_surrogates_get_400_on_every_field()
    {
        foreach (var body in LoneSurrogateBodies())
        {
            using var response = await _app!.PostAsync(body, body.StartsWith('[') ? "application/reports+json" : "application/csp-report");
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}");
        }
    }

    public static TheoryData<string, string> MalformedBodies() => new()
    {
        { "truncated", """{"csp-report":{"blocked-uri":"https://x.example/""" },
        { "trailing data", """{"csp-report":{}} {}""" },
        { "trailing garbage", """{"csp-report":{}}xyz""" },
        { "comment", """{"csp-report":{/* c */"blocked-uri":"x"}}""" },
        { "trailing comma", """{"csp-report":{"blocked-uri":"x",}}""" },
        { "single quotes", "{'csp-report':{}}" },
        { "unquoted name", "{csp-report:{}}" },
        { "NaN", """{"csp-report":{"line-number":NaN}}""" },
        { "raw control character", "{\"csp-report\":{\"blocked-uri\":\"a\u0001b\"}}" },
        { "raw line break", "{\"csp-report\":{\"blocked-uri\":\"a\nb\"}}" },
        { "bad escape", """{"csp-report":{"blocked-uri":"\x41"}}""" },
        { "short unicode escape", """{"csp-report":{"blocked-uri":"\u12"}}""" },
        { "escape at the end", "{\"csp-report\":{\"blocked-uri\":\"\\" },
        { "number root", "42" },
        { "string root", "\"report\"" },
        { "null root", "null" },
        { "true root", "true" },
        { "only whitespace", "   \r\n\t " },
        { "double BOM", "\uFEFF\uFEFF{}" },
        { "nul byte", "{\"csp-report\":\0{}}" },
        { "too deep", Payloads.Deeply(64) },
        { "unbalanced", """{"csp-report":{"a":[}}""" },
        { "array not closed", """[{"type":"csp-violation","body":{}}""" },
        { "object in name position", """{{"a":1}:2}""" },
        { "huge exponent", """{"csp-report":{"line-number":1e999999999}} x""" },
        { "two roots in a batch", """[{}][{}]""" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_bodies_get_400(string what, string body)
    {
        Assert.Equal(ParseStatus.Malformed, ParseBytes(Encoding.UTF8.GetBytes(body.StartsWith('\uFEFF') ? body[1..] : body)));
        using var response = await _app!.PostAsync(body, "application/csp-report");
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
    }

    public static TheoryData<string, byte[]> InvalidUtf8() => new()
    {
        { "lone continuation byte", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0x80, .. "\"}}"u8] },
        { "overlong slash", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xC0, 0xAF, .. "\"}}"u8] },
        { "0xFF", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xFF, .. "\"}}"u8] },
        { "encoded surrogate", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xED, 0xA0, 0x80, .. "\"}}"u8] },
        { "truncated sequence", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xE2, 0x82, .. "\"}}"u8] },
        { "UTF-16", Encoding.Unicode.GetBytes(Payloads.ChromeLegacy()) },
        { "UTF-32", Encoding.UTF32.GetBytes("{}") },
        { "invalid byte in a name", [.. "{\"csp-report\":{\"blocked"u8, 0xFE, .. "\":\"x\"}}"u8] },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Invalid_utf8_gets_400(string what, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/csp-report");
        using var response = await _app!.Client.PostAsync("/_secureheaders/reports", content, TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
    }

    [Fact]
    public void Random_mutations_of_real_reports_never_throw()
    {
        // Bytes flipped, inserted, deleted and escapes spliced into real bodies: whatever comes out, the parser answers.
        var seeds = new[]
        {
            Payloads.ChromeLegacy(), Payloads.FirefoxLegacy(), Payloads.Coep(), Payloads.PermissionsPolicy(),
            Payloads.ReportingApiBatch(Payloads.ReportingApiItem(), Payloads.ReportingApiItem(blocked: "eval")),
        }.Select(Encoding.UTF8.GetBytes).ToArray();
        byte[][] splices = ["\\ud800"u8.ToArray(), "\\u"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "["u8.ToArray(), "{"u8.ToArray(), [0xC3], [0xFF], "1e400"u8.ToArray()];
        var random = new Random(20260113);
        for (var i = 0; i < 20_000; i++)
        {
            var body = new List<byte>(seeds[random.Next(seeds.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(body.Count);
                switch (random.Next(4))
                {
                    case 0: body[at] = (byte)random.Next(256); break;
                    case 1: body.RemoveAt(at); break;
                    case 2: body.Insert(at, (byte)random.Next(256)); break;
                    default: body.InsertRange(at, splices[random.Next(splices.Length)]); break;
                }
            }

            var bytes = body.ToArray();
            var exception = Record.Exception(() => ParseBytes(bytes));
            Assert.True(exception is null, $"{exception?.GetType().Name} for {Encoding.UTF8.GetString(bytes)}");
        }
    }

    private static ParseStatus ParseBytes(byte[] body) => ReportParser.Parse(body, Limits, [], out _, out _);
}
