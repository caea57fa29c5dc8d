using System.Text;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis.Html;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Tests;

/// <summary>
/// Adversarial pages and header sets of 0.3 MB and 3 MB go through the whole analysis and the HTML scanner. Each must
/// finish before a generous deadline: linear work takes well under a second here, while the quadratic code these
/// shapes once hit took minutes (a 1 MB run of '&amp;' alone took 9.8 s). A deadline, not a timing assertion.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    public static TheoryData<string, int> Shapes()
    {
        var data = new TheoryData<string, int>();
        foreach (var shape in s_pages.Keys.Concat(s_headers.Keys))
        {
            data.Add(shape, 300_000);
            data.Add(shape, 3_000_000);
        }

        return data;
    }

    private static readonly Dictionary<string, Func<int, string>> s_pages = new()
    {
        ["ampersands-in-attribute"] = n => "<meta name=\"referrer\" content=\"" + new string('&', n) + "\">",
        ["named-references-without-semicolon"] = n => "<meta name=\"referrer\" content=\"" + Repeat("&amp", n) + "\">",
        ["attributes-without-end"] = n => "<script " + Repeat("a ", n),
        ["open-comments"] = n => Repeat("<!--", n),
        ["less-than-signs"] = n => new string('<', n),
        ["unclosed-raw-text"] = n => "<title>" + Repeat("</titl", n),
        ["meta-policy-with-many-sources"] = n => "<meta http-equiv=\"content-security-policy\" content=\"default-src " + Numbered("a{0}.example ", n) + "\">",
        ["meta-policy-with-many-directives"] = n => "<meta http-equiv=\"content-security-policy\" content=\"" + Numbered("x{0} a;", n) + "\">",
        ["many-meta-policies"] = n => Repeat("<meta http-equiv=\"content-security-policy\" content=\"default-src * a.b\">", n),
        ["many-scripts"] = n => Repeat("<script src=\"https://cdn.example.net/x.js\"></script>", n),
    };

    private static readonly Dictionary<string, Func<int, IEnumerable<HttpHeader>>> s_headers = new()
    {
        ["repeated-header-lines"] = n => Enumerable.Repeat(new HttpHeader("X-Repeated", new string('v', 90)), n / 100),
        ["repeated-csp-headers"] = n => Enumerable.Repeat(new HttpHeader("Content-Security-Policy", "default-src 'self' https://a.example"), n / 50),
        ["many-cookies"] = n => Enumerable.Range(0, n / 30).Select(static i => new HttpHeader("Set-Cookie", $"s{i}=v; Path=/; Secure")),
        ["comma-joined-policies"] = n => [new HttpHeader("Content-Security-Policy", Repeat("default-src *,", n))],
        ["long-referrer-list"] = n => [new HttpHeader("Referrer-Policy", Repeat("no-referrer,", n))],
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_analysis_finishes_on_hostile_input(string shape, int size)
    {
        var set = s_pages.TryGetValue(shape, out var page)
            ? new HeaderSet(("Content-Type", "text/html; charset=utf-8")) { Body = page(size) }
            : new HeaderSet(s_headers[shape](size));

        // What `grade` does: header sets beyond what a server could send are refused at once, pages are cut to 2 MiB.
        var bytes = set.Headers.Sum(static h => h.Name.Length + h.Value.Length + 4);
        if (bytes > HeaderSetReader.MaxHeaderBytes)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { headers = set.Headers.Select(static h => new[] { h.Name, h.Value }) });
            var refused = Assert.Throws<FormatException>(() => HeaderSetReader.Parse(json));
            Assert.Contains("KiB", refused.Message, StringComparison.Ordinal);
            return;
        }

        if (set.Body is { Length: > HeaderSetReader.MaxBodyChars } body)
        {
            set = new HeaderSet(set.Headers) { Body = body[..HeaderSetReader.MaxBodyChars] };
        }

        foreach (var version in new[] { ObservatoryVersion.Release148, ObservatoryVersion.Release163, ObservatoryVersion.Main })
        {
            var report = await Task.Run(() => SecurityAnalyzer.Analyze(set, version), TestContext.Current.CancellationToken)
                .WaitAsync(s_deadline, TestContext.Current.CancellationToken);
            Assert.NotNull(report.Observatory.Grade);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task The_html_scanner_finishes_on_hostile_pages(string shape, int size)
    {
        if (!s_pages.TryGetValue(shape, out var page))
        {
            return;
        }

        var text = page(size);
        var html = await Task.Run(() => HtmlInlineScanner.Scan(text), TestContext.Current.CancellationToken).WaitAsync(s_deadline, TestContext.Current.CancellationToken);
        var razor = await Task.Run(() => HtmlInlineScanner.Scan(text, HtmlDocumentKind.Razor), TestContext.Current.CancellationToken).WaitAsync(s_deadline, TestContext.Current.CancellationToken);
        Assert.NotNull(html);
        Assert.NotNull(razor);
    }

    private static string Repeat(string unit, int length)
    {
        var sb = new StringBuilder(length + unit.Length);
        while (sb.Length < length)
        {
            sb.Append(unit);
        }

        return sb.ToString();
    }

    private static string Numbered(string format, int length)
    {
        var sb = new StringBuilder(length + 32);
        for (var i = 0; sb.Length < length; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{string.Format(System.Globalization.CultureInfo.InvariantCulture, format, i)}");
        }

        return sb.ToString();
    }
}
