using System.Text;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.Tests.Ingest;

/// <summary>Bodies an attacker sends instead of reports: the parser refuses each one, and no exception ever leaves it.</summary>
public sealed class HostileBodyTests
{
    private static readonly ParseLimits Limits = new(16, 100);

    public static TheoryData<string> LoneSurrogates() => [.. HostileBodies.LoneSurrogates()];

    public static TheoryData<string, string> Malformed() => [.. HostileBodies.Malformed().Select(static m => new TheoryDataRow<string, string>(m.What, m.Body))];

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void Lone_surrogates_are_refused_without_throwing(string body) =>
        Assert.Equal(ParseStatus.Malformed, Parse(Encoding.UTF8.GetBytes(body)));

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

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_bodies_are_refused(string what, string body)
    {
        // The endpoint drops one byte-order mark before parsing; a second one is the parser's to refuse.
        var text = body.StartsWith('\uFEFF') ? body[1..] : body;

        Assert.True(Parse(Encoding.UTF8.GetBytes(text)) == ParseStatus.Malformed, what);
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
            var exception = Record.Exception(() => Parse(bytes));
            Assert.True(exception is null, $"{exception?.GetType().Name} for {Encoding.UTF8.GetString(bytes)}");
        }
    }

    private static ParseStatus Parse(byte[] body) => ReportParser.Parse(body, Limits, [], out _, out _);
}
