using System.Text;

namespace SecureHeaders.Reporting.Tests.Support;

/// <summary>Report bodies as browsers send them.</summary>
internal static class Payloads
{
    public const string Policy = "default-src 'self'; script-src 'self' 'report-sample'; img-src 'self'; report-uri /_secureheaders/reports";

    /// <summary>Chrome's report-uri body (kebab-case, CSP3 §5.4).</summary>
    public static string ChromeLegacy(string blocked = "https://cdn.example.net/lib.js?v=1", string page = "https://shop.example.com/cart?session=secret#top",
        string directive = "script-src-elem") => $$$"""
        {"csp-report":{"document-uri":"{{{page}}}","referrer":"","violated-directive":"{{{directive}}}","effective-directive":"{{{directive}}}",
        "original-policy":"{{{Policy}}}","disposition":"enforce","blocked-uri":"{{{blocked}}}","status-code":200,"script-sample":""}}
        """;

    /// <summary>Firefox's report-uri body: no effective-directive, the full directive in violated-directive.</summary>
    public static string FirefoxLegacy(string blocked = "inline") => $$$"""
        {"csp-report":{"blocked-uri":"{{{blocked}}}","document-uri":"https://shop.example.com/","original-policy":"{{{Policy}}}",
        "referrer":"","violated-directive":"script-src 'self' 'report-sample'","line-number":"12","column-number":"4","source-file":"https://shop.example.com/"}}
        """;

    /// <summary>One Reporting API csp-violation (W3C Reporting API §2.1, CSP3 §5.3 body).</summary>
    public static string ReportingApiItem(string blocked = "inline", string sample = "alert(1)", string directive = "script-src-elem",
        string page = "https://shop.example.com/", string disposition = "enforce", int age = 10) => $$$"""
        {"type":"csp-violation","age":{{{age}}},"url":"{{{page}}}","user_agent":"Mozilla/5.0",
         "body":{"documentURL":"{{{page}}}","blockedURL":"{{{blocked}}}","effectiveDirective":"{{{directive}}}","originalPolicy":"{{{Policy}}}",
         "sample":"{{{sample}}}","disposition":"{{{disposition}}}","statusCode":200,"lineNumber":3,"columnNumber":5,"sourceFile":"{{{page}}}"}}
        """;

    public static string ReportingApiBatch(params string[] items) => "[" + string.Join(",", items) + "]";

    public static string Coep() => """
        [{"type":"coep","age":0,"url":"https://shop.example.com/","user_agent":"x",
          "body":{"type":"corp","blockedURL":"https://images.other.org/a.png?x=1","destination":"image","disposition":"enforce"}}]
        """;

    public static string PermissionsPolicy() => """
        [{"type":"permissions-policy-violation","age":0,"url":"https://shop.example.com/p","user_agent":"x",
          "body":{"featureId":"geolocation","sourceFile":"https://shop.example.com/app.js","lineNumber":10,"columnNumber":2,"disposition":"enforce","message":"Geolocation is not allowed"}}]
        """;

    public static string Deeply(int depth)
    {
        var sb = new StringBuilder();
        sb.Append("{\"csp-report\":{\"effective-directive\":\"img-src\",\"blocked-uri\":\"https://x.example/\",\"extra\":");
        for (var i = 0; i < depth; i++)
        {
            sb.Append('[');
        }

        for (var i = 0; i < depth; i++)
        {
            sb.Append(']');
        }

        return sb.Append("}}").ToString();
    }
}
