using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>Configuration mistakes stop startup with the configuration path and a fix.</summary>
public class ValidationTests
{
    public static TheoryData<string, string, string, string> InvalidSettings => new()
    {
        // key, value, expected path, expected text in message or fix
        { "SecureHeaders:XFrameOptions", "DENY\r\nSet-Cookie: a=b", "SecureHeaders:XFrameOptions", "line breaks" },
        { "SecureHeaders:XFrameOptions", "ALLOW-FROM https://a.example", "SecureHeaders:XFrameOptions", "frame-ancestors" },
        { "SecureHeaders:XFrameOptions", "SAMEORGIN", "SecureHeaders:XFrameOptions", "Did you mean SAMEORIGIN?" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "'self'; img-src *", "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "';'" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "https://a.example,https://b.example", "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "','" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:default-src", "self", "SecureHeaders:ContentSecurityPolicy:Directives:default-src", "Quote it: 'self'" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:scirpt-src", "'self'", "SecureHeaders:ContentSecurityPolicy:Directives:scirpt-src", "Did you mean script-src?" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "'nonce-***'", "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "not a valid nonce" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "'strict-dynamic'", "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "no nonce or hash" },
        { "SecureHeaders:ReferrerPolicy", "no-referer", "SecureHeaders:ReferrerPolicy", "Did you mean no-referrer?" },
        { "SecureHeaders:ReferrerPolicy", "no-referrer, no-referrer", "SecureHeaders:ReferrerPolicy", "appears twice" },
        { "SecureHeaders:PermissionsPolicy:Features:camra", "", "SecureHeaders:PermissionsPolicy:Features:camra", "Did you mean camera?" },
        { "SecureHeaders:PermissionsPolicy:Features:geolocation", "'self'", "SecureHeaders:PermissionsPolicy:Features:geolocation", "Write self." },
        { "SecureHeaders:PermissionsPolicy:Features:camera", "https://a.example/path", "SecureHeaders:PermissionsPolicy:Features:camera", "not self, * or an origin" },
        { "SecureHeaders:StrictTransportSecurity:MaxAge", "-1.00:00:00", "SecureHeaders:StrictTransportSecurity:MaxAge", "cannot be negative" },
        { "SecureHeaders:StrictTransportSecurity:MaxAge", "abc", "SecureHeaders:StrictTransportSecurity:MaxAge", "not a duration" },
        { "SecureHeaders:StrictTransportSecurity:MaxAge", "31536000", "SecureHeaders:StrictTransportSecurity:MaxAge", "365.00:00:00" },
        { "SecureHeaders:StrictTransportSecurity:MaxAgee", "365.00:00:00", "SecureHeaders:StrictTransportSecurity:MaxAgee", "Did you mean MaxAge?" },
        { "SecureHeaders:StrictTransportSecurity:IncludeSubDomains", "yes", "SecureHeaders:StrictTransportSecurity:IncludeSubDomains", "true or false" },
        { "SecureHeaders:ReportingEndpoints:csp", "reports", "SecureHeaders:ReportingEndpoints:csp", "absolute https URL" },
        { "SecureHeaders:ReportingEndpoints:csp", "http://example.com/r", "SecureHeaders:ReportingEndpoints:csp", "absolute https URL" },
        { "SecureHeaders:XXssProtection", "1; mode=block", "SecureHeaders:XXssProtection", "Send 0" },
        { "SecureHeaders:CrossOriginOpenerPolicy", "same-orgin", "SecureHeaders:CrossOriginOpenerPolicy", "Did you mean same-origin?" },
        { "SecureHeaders:CrossOriginResourcePolicy", "SAME-ORIGIN", "SecureHeaders:CrossOriginResourcePolicy", "lower case" },
        { "SecureHeaders:CustomHeaders:Content-Security-Policy", "default-src *", "SecureHeaders:CustomHeaders:Content-Security-Policy", "its own setting" },
        { "SecureHeaders:CustomHeaders:X-Note", "a\nb", "SecureHeaders:CustomHeaders:X-Note", "line breaks" },
        { "SecureHeaders:Cookies:SameSite", "Laxx", "SecureHeaders:Cookies:SameSite", "Lax, Strict or None" },
        { "SecureHeaders:Profile", "Prod", "SecureHeaders:Profile", "Auto, Production, Development" },
        { "SecureHeaders:ForceHttps:HttpsPort", "70000", "SecureHeaders:ForceHttps:HttpsPort", "between 1 and 65535" },
        { "SecureHeaders:ForceHttps:ExemptPaths:0", "healthz", "SecureHeaders:ForceHttps:ExemptPaths", "Start each exempt path with '/'" },
        { "SecureHeaders:ClearSiteData:0", "cokies", "SecureHeaders:ClearSiteData", "Did you mean \"cookies\"?" },
        { "SecureHeaders:DocumentPolicy", "document-write=", "SecureHeaders:DocumentPolicy", "structured-field" },
        { "SecureHeaders:Frameoptions", "DENY", "SecureHeaders:Frameoptions", "XFrameOptions" },
        { "SecureHeaders:ContentSecurityPolicy:Preset", "Strictest", "SecureHeaders:ContentSecurityPolicy:Preset", "StrictWithBasic" },
        { "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "'nonce-abcdefghijklmnop'", "SecureHeaders:ContentSecurityPolicy:Directives:script-src", "fixed nonce" },
        { "SecureHeaders:CspHashManifest", "missing-manifest.json", "SecureHeaders:CspHashManifest", "secureheaders csp hash" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_setting_stops_startup_naming_the_key(string key, string value, string path, string hint)
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(settings: new() { [key] = value }));

        var problem = Assert.Single(ex.Problems, p => p.Path == path);
        Assert.Contains(hint, problem.Message + " " + problem.Fix, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preload_needs_include_subdomains_and_a_year()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(o =>
        {
            o.StrictTransportSecurity.Preload = true;
            o.StrictTransportSecurity.IncludeSubDomains = false;
        }));

        Assert.Equal("SecureHeaders:StrictTransportSecurity:Preload", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(settings: new()
        {
            ["SecureHeaders:XFrameOptions"] = "ALLOWALL",
            ["SecureHeaders:ReferrerPolicy"] = "everywhere",
            ["SecureHeaders:ContentSecurityPolicy:Directives:object-src"] = "none",
        }));

        Assert.Equal(3, ex.Problems.Count);
        Assert.StartsWith("The SecureHeaders configuration has 3 problems", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Named_policy_problems_carry_the_policy_path()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(o => o.AddPolicy("embed", p => p.XFrameOptions = "ALLOW-FROM https://x.example")));

        Assert.Equal("SecureHeaders:Policies:embed:XFrameOptions", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task Report_to_must_name_a_declared_endpoint()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(o => o.ContentSecurityPolicy.Set("report-to", "csp")));

        Assert.Contains("ReportingEndpoints:csp", Assert.Single(ex.Problems).Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_reporting_configuration_starts()
    {
        await using var app = await TestApp.StartAsync(settings: new()
        {
            ["SecureHeaders:ReportingEndpoints:csp"] = "https://reports.example.com/csp",
            ["SecureHeaders:ContentSecurityPolicy:Directives:report-to"] = "csp",
            ["SecureHeaders:ContentSecurityPolicy:Directives:report-uri"] = "/csp-reports",
        });
        var response = await app.Https().GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal("csp=\"https://reports.example.com/csp\"", response.Header("Reporting-Endpoints"));
        Assert.EndsWith("report-to csp; report-uri /csp-reports", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }
}
