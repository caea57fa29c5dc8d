using System.Text;

namespace SecureHeaders.Reporting.Tests.Support;

/// <summary>Bodies an attacker posts instead of reports, shared by the parser tests and the endpoint tests.</summary>
internal static class HostileBodies
{
    /// <summary>Lone surrogate escapes in every place a string can be: values the parser copies out, compares or skips, and member names.</summary>
    public static List<string> LoneSurrogates()
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

    /// <summary>Bodies that are not JSON, or not one JSON value of the report shapes.</summary>
    public static List<(string What, string Body)> Malformed() =>
    [
        ("truncated", """{"csp-report":{"blocked-uri":"https://x.example/"""),
        ("trailing data", """{"csp-report":{}} {}"""),
        ("trailing garbage", """{"csp-report":{}}xyz"""),
        ("comment", """{"csp-report":{/* c */"blocked-uri":"x"}}"""),
        ("trailing comma", """{"csp-report":{"blocked-uri":"x",}}"""),
        ("single quotes", "{'csp-report':{}}"),
        ("unquoted name", "{csp-report:{}}"),
        ("NaN", """{"csp-report":{"line-number":NaN}}"""),
        ("raw control character", "{\"csp-report\":{\"blocked-uri\":\"a\u0001b\"}}"),
        ("raw line break", "{\"csp-report\":{\"blocked-uri\":\"a\nb\"}}"),
        ("bad escape", """{"csp-report":{"blocked-uri":"\x41"}}"""),
        ("short unicode escape", """{"csp-report":{"blocked-uri":"\u12"}}"""),
        ("escape at the end", "{\"csp-report\":{\"blocked-uri\":\"\\"),
        ("number root", "42"),
        ("string root", "\"report\""),
        ("null root", "null"),
        ("true root", "true"),
        ("only whitespace", "   \r\n\t "),
        ("double BOM", "\uFEFF\uFEFF{}"),
        ("nul byte", "{\"csp-report\":\0{}}"),
        ("too deep", Payloads.Deeply(64)),
        ("unbalanced", """{"csp-report":{"a":[}}"""),
        ("array not closed", """[{"type":"csp-violation","body":{}}"""),
        ("object in name position", """{{"a":1}:2}"""),
        ("huge exponent then garbage", """{"csp-report":{"line-number":1e999999999}} x"""),
        ("two roots in a batch", """[{}][{}]"""),
    ];

    /// <summary>Bodies that are not UTF-8.</summary>
    public static List<(string What, byte[] Body)> InvalidUtf8() =>
    [
        ("lone continuation byte", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0x80, .. "\"}}"u8]),
        ("overlong slash", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xC0, 0xAF, .. "\"}}"u8]),
        ("0xFF", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xFF, .. "\"}}"u8]),
        ("encoded surrogate", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xED, 0xA0, 0x80, .. "\"}}"u8]),
        ("truncated sequence", [.. "{\"csp-report\":{\"blocked-uri\":\""u8, 0xE2, 0x82, .. "\"}}"u8]),
        ("UTF-16", Encoding.Unicode.GetBytes(Payloads.ChromeLegacy())),
        ("UTF-32", Encoding.UTF32.GetBytes("{}")),
        ("invalid byte in a name", [.. "{\"csp-report\":{\"blocked"u8, 0xFE, .. "\":\"x\"}}"u8]),
    ];
}
