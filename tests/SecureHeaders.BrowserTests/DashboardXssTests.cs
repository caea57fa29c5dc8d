using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace SecureHeaders.BrowserTests;

/// <summary>
/// Stored XSS: violation reports are written by strangers, and the dashboard shows them. Payloads in every field of
/// every report kind are stored as sent, and Chromium rendering the dashboard runs none of them, creates none of
/// their elements, loads nothing they name and reports no CSP violation (so escaping, not only the page's policy,
/// is what stops them).
/// </summary>
[Collection(ShowcaseTests.Name)]
public sealed class DashboardXssTests(ShowcaseFixture showcase)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each payload marks what it would create with data-xss and sets window.__xss if it ever runs.</summary>
    private static readonly string[] Payloads =
    [
        "<script data-xss>window.__xss=1</script>",
        "<img data-xss src=x onerror=\"window.__xss=1\">",
        "\"><img data-xss src=x onerror=window.__xss=1>",
        "'><svg data-xss onload=window.__xss=1>",
        "</code></td></tr></table><script data-xss>window.__xss=1</script>",
        "</title><script data-xss>window.__xss=1</script>",
        "</style><script data-xss>window.__xss=1</script>",
        "</textarea><script data-xss>window.__xss=1</script>",
        "<iframe data-xss srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
        "<a data-xss href=\"javascript:window.__xss=1\">x</a>",
        "javascript:window.__xss=1",
        "<details data-xss open ontoggle=window.__xss=1>",
        "<math><mtext></table><mglyph><style><img data-xss src=x onerror=window.__xss=1>",
        "<noscript><p title=\"</noscript><img data-xss src=x onerror=window.__xss=1>\">",
        "<object data-xss data=\"javascript:window.__xss=1\"></object>",
        "<body data-xss onload=window.__xss=1>",
        "<input data-xss autofocus onfocus=window.__xss=1>",
        "&lt;img data-xss src=x onerror=window.__xss=1&gt;",
        "<base data-xss href=\"https://evil.example/\">",
        "<meta data-xss http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
        "<link data-xss rel=stylesheet href=\"https://evil.example/x.css\">",
        "<form data-xss action=\"https://evil.example/\"><button>go</button></form>",
        "\u003cscript data-xss\u003ewindow.__xss=1\u003c/script\u003e",
        "<svg><script data-xss>window.__xss=1</script></svg>",
        "<template data-xss><img src=x onerror=window.__xss=1></template>",
        "' onmouseover='window.__xss=1' data-xss='",
        "\" onfocus=\"window.__xss=1\" autofocus data-xss=\"",
        "</script><script data-xss>window.__xss=1</script>",
        "<img data-xss src=\"https://evil.example/pixel.gif\">",
        "${window.__xss=1}{{constructor.constructor('window.__xss=1')()}}",
        "<SCRIPT data-xss>window.__xss=1</SCRIPT>",
        "<ImG data-xss SrC=x OnErRoR=window.__xss=1>",
        "<img\ndata-xss\nsrc=x\nonerror=window.__xss=1>",
        "<img\tdata-xss\tsrc=x\tonerror=window.__xss=1>",
        "<scr\u0000ipt data-xss>window.__xss=1</script>",
        "&#60;script data-xss&#62;window.__xss=1&#60;/script&#62;",
        "<svg/onload=window.__xss=1 data-xss>",
        "<img src=`x` onerror=window.__xss=1 data-xss>",
        "<video data-xss><source onerror=window.__xss=1></video>",
        "<audio data-xss src=x onerror=window.__xss=1></audio>",
        "<marquee data-xss onstart=window.__xss=1>x</marquee>",
        "<embed data-xss src=\"javascript:window.__xss=1\">",
        "<frameset data-xss onload=window.__xss=1></frameset>",
        "<select data-xss autofocus onfocus=window.__xss=1></select>",
        "<textarea data-xss autofocus onfocus=window.__xss=1></textarea>",
        "<div data-xss style=\"background:url(javascript:window.__xss=1)\">x</div>",
        "<style data-xss>@import 'https://evil.example/x.css';</style>",
        "<img data-xss srcset=\"https://evil.example/a.png 1x\">",
        "<picture data-xss><source srcset=\"https://evil.example/p.png\"><img></picture>",
        "<x data-xss contenteditable autofocus onfocus=window.__xss=1>x</x>",
        "<a data-xss href=\"&#106;avascript:window.__xss=1\">x</a>",
        "<a data-xss href=\"jav&#x09;ascript:window.__xss=1\">x</a>",
        "<svg data-xss><a href=\"javascript:window.__xss=1\"><text>x</text></a></svg>",
        "<img data-xss src=x onerror=&#119;indow.__xss=1>",
        "--><script data-xss>window.__xss=1</script>",
        "<!--<img data-xss src=x onerror=window.__xss=1>-->",
        "]]><script data-xss>window.__xss=1</script>",
        "<img data-xss src=x:x onerror=eval(atob('d2luZG93Ll9feHNzPTE='))>",
        "<iframe data-xss src=\"data:text/html,<script>parent.__xss=1</script>\"></iframe>",
    ];

    [Fact]
    public async Task Payloads_in_every_report_field_never_execute_in_the_dashboard()
    {
        using var client = showcase.CreateClient();
        var sent = 0;
        for (var i = 0; i < Payloads.Length; i++)
        {
            foreach (var (type, body) in Reports(Payloads[i], i))
            {
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                content.Headers.TryAddWithoutValidation("Content-Type", type);
                using var response = await client.PostAsync("/_secureheaders/reports", content, Ct);
                Assert.True(response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.BadRequest, $"{(int)response.StatusCode} for {body}");
                sent++;
            }
        }

        // The payloads are stored as sent: the page below is really given them to render.
        var stored = await WaitForPayloadsAsync(client);
        Assert.True(stored >= Payloads.Length, $"only {stored} stored violations carry a payload");

        var page = await showcase.NewPageAsync();
        var dialogs = new List<string>();
        var foreign = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(showcase.BaseAddress.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };
        var dashboardUrl = new Uri(showcase.BaseAddress, "/_secureheaders/dashboard").ToString();
        var answer = await page.GotoAsync(dashboardUrl);
        Assert.Equal(200, answer!.Status);
        await ShowcaseFixture.SettledAsync(page);
        Assert.False(await page.EvaluateAsync<bool>("() => window.__xss !== undefined || (window.parent && window.parent.__xss !== undefined)"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('[data-xss]').length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('a[href^=\"javascript:\" i], iframe, object, embed, base, form, template').length"));
        Assert.Equal(0, (await page.EvaluateAsync<JsonElement>("() => window.__violations")).GetArrayLength());
        Assert.Empty(dialogs);
        Assert.Empty(foreign);
        Assert.Equal(dashboardUrl, page.Url);

        // And the text is shown, escaped, rather than silently dropped.
        var text = await page.EvaluateAsync<string>("() => document.body.innerText");
        Assert.Contains("data-xss", text, StringComparison.Ordinal);
        Assert.Equal(Payloads.Length * 3, sent);
    }

    /// <summary>The payload in every string field of each report kind the collector stores.</summary>
    private static IEnumerable<(string Type, string Body)> Reports(string payload, int i)
    {
        var p = JsonSerializer.Serialize(payload); // a JSON string literal, quotes included
        var page = JsonSerializer.Serialize("https://shop.example.com/xss" + i + "/" + payload);
        yield return ("application/csp-report", $$$"""
            {"csp-report":{"document-uri":{{{page}}},"referrer":{{{p}}},"violated-directive":{{{p}}},"effective-directive":"script-src-elem",
             "original-policy":{{{p}}},"disposition":{{{p}}},"blocked-uri":{{{JsonSerializer.Serialize("https://evil" + i + ".example/" + payload)}}},
             "source-file":{{{p}}},"script-sample":{{{p}}},"status-code":{{{p}}},"line-number":{{{p}}},"column-number":{{{p}}}}}
            """);
        yield return ("application/csp-report", $$$"""
            {"csp-report":{"document-uri":{{{page}}},"effective-directive":{{{p}}},"violated-directive":"img-src","blocked-uri":{{{p}}},"script-sample":{{{p}}}}}
            """);
        yield return ("application/reports+json", $$$"""
            [{"type":"csp-violation","age":1,"url":{{{page}}},"user_agent":{{{p}}},
              "body":{"documentURL":{{{page}}},"blockedURL":"inline","effectiveDirective":"script-src-elem","originalPolicy":{{{p}}},
                      "sourceFile":{{{JsonSerializer.Serialize("https://cdn" + i + ".example/" + payload)}}},"sample":{{{p}}},"disposition":"report","statusCode":200,"lineNumber":1,"columnNumber":2}},
             {"type":"coep","age":1,"url":{{{page}}},"user_agent":"x","body":{"type":{{{p}}},"blockedURL":{{{JsonSerializer.Serialize("https://img" + i + ".example/" + payload)}}},"destination":{{{p}}},"disposition":"enforce"}},
             {"type":"permissions-policy-violation","age":1,"url":{{{page}}},"user_agent":"x","body":{"featureId":{{{p}}},"sourceFile":{{{page}}},"lineNumber":1,"columnNumber":1,"disposition":"enforce","message":{{{p}}}}},
             {"type":"deprecation","age":1,"url":{{{page}}},"user_agent":"x","body":{"id":{{{p}}},"message":{{{p}}},"sourceFile":{{{page}}},"lineNumber":1,"columnNumber":1}},
             {"type":"coop","age":1,"url":{{{page}}},"user_agent":"x","body":{"type":{{{p}}},"disposition":"enforce","effectivePolicy":{{{p}}},"previousResponseURL":{{{page}}}}}]
            """);
    }

    /// <summary>Polls the API until the reports are written; returns how many stored violations hold a payload.</summary>
    private static async Task<int> WaitForPayloadsAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var api = await client.GetFromJsonAsync<JsonElement>("/_secureheaders/api/violations?limit=1000", Ct);
            var withPayload = api.GetProperty("violations").EnumerateArray().Count(v => v.GetRawText().Contains("data-xss", StringComparison.Ordinal));
            if (withPayload >= Payloads.Length || DateTime.UtcNow > deadline)
            {
                return withPayload;
            }

            await Task.Delay(100, Ct);
        }
    }
}
