using Microsoft.AspNetCore.Builder;
using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>Report destinations are wired into every policy that names none itself.</summary>
public class ViolationReportingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Collector_is_named_in_reporting_endpoints_csp_coop_and_integrity_policy()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.ViolationReporting.Url = "/_secureheaders/reports";
            o.ContentSecurityPolicyReportOnly.Enabled = true;
            o.ContentSecurityPolicyReportOnly.Set("script-src", "'nonce'", "'strict-dynamic'");
            o.IntegrityPolicy.Enabled = true;
            o.IntegrityPolicy.ReportOnly = true;
        });
        var response = await app.Https().GetAsync("/", Ct);

        Assert.Equal("secureheaders=\"/_secureheaders/reports\"", response.Header("Reporting-Endpoints"));
        Assert.EndsWith("; report-to secureheaders; report-uri /_secureheaders/reports", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.EndsWith("; report-to secureheaders; report-uri /_secureheaders/reports", response.Header("Content-Security-Policy-Report-Only"), StringComparison.Ordinal);
        Assert.Equal("same-origin;report-to=\"secureheaders\"", response.Header("Cross-Origin-Opener-Policy"));
        Assert.Equal("blocked-destinations=(script), sources=(inline), endpoints=(secureheaders)", response.Header("Integrity-Policy-Report-Only"));
    }

    [Fact]
    public async Task With_IdentifyPolicy_each_policy_reports_to_a_url_of_its_own()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.ViolationReporting.Url = "/_secureheaders/reports";
                o.ViolationReporting.IdentifyPolicy = true;
                o.AddPolicy("widget", p => p.AllowFramingBy("'self'", "https://partner.example.com"));
            },
            map: app =>
            {
                app.MapGet("/", () => "default");
                app.MapGet("/widget", () => "widget").WithSecureHeaders("widget");
                app.MapGet("/admin/{id}", (string id) => id).WithSecureHeaders(p => p.ContentSecurityPolicy.Set("img-src", "'none'"));
            });
        var client = app.Https();

        var home = await client.GetAsync("/", Ct);
        Assert.Equal("secureheaders=\"/_secureheaders/reports?policy=default\"", home.Header("Reporting-Endpoints"));
        Assert.EndsWith("report-uri /_secureheaders/reports?policy=default", home.Header("Content-Security-Policy"), StringComparison.Ordinal);
        var widget = await client.GetAsync("/widget", Ct);
        Assert.EndsWith("report-uri /_secureheaders/reports?policy=widget", widget.Header("Content-Security-Policy"), StringComparison.Ordinal);
        // An endpoint's inline policy is a policy of its own, named after its base and route (escaped into one URL value).
        var admin = await client.GetAsync("/admin/7", Ct);
        Assert.EndsWith("report-uri /_secureheaders/reports?policy=default%40%2Fadmin%2F%7Bid%7D", admin.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_with_its_own_destination_or_opted_out_is_left_alone()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.ViolationReporting.Url = "https://reports.example.com/csp";
                o.ContentSecurityPolicy.Set("report-uri", "https://elsewhere.example.com/csp");
                o.AddPolicy("quiet", p => p.SendViolationReports = false);
            },
            map: app =>
            {
                app.MapGet("/", () => "default");
                app.MapGet("/quiet", () => "quiet").WithSecureHeaders("quiet");
            });

        var own = await app.Https().GetAsync("/", Ct);
        var quiet = await app.Https().GetAsync("/quiet", Ct);

        Assert.EndsWith("report-uri https://elsewhere.example.com/csp", own.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("report-to", own.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("secureheaders=\"https://reports.example.com/csp\"", own.Header("Reporting-Endpoints"));
        Assert.DoesNotContain("report-to", quiet.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Null(quiet.Header("Reporting-Endpoints"));
    }

    [Fact]
    public async Task Plain_http_responses_report_through_report_uri_only()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.ViolationReporting.Url = "/r";
            o.ForceHttps.Enabled = false;
        });
        var response = await app.Http().GetAsync("/", Ct);

        // Browsers deliver Reporting API reports only from secure pages and prefer report-to when both are present.
        Assert.EndsWith("; report-uri /r", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("report-to", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Null(response.Header("Reporting-Endpoints"));
        Assert.Equal("same-origin", response.Header("Cross-Origin-Opener-Policy"));
    }

    [Fact]
    public async Task Sampling_puts_reporting_directives_on_a_share_of_responses()
    {
        await using var app = await TestApp.StartAsync(settings: new()
        {
            ["SecureHeaders:ViolationReporting:Url"] = "/r",
            ["SecureHeaders:ViolationReporting:SampleRate"] = "0.25",
        });
        var client = app.Https();
        var reported = 0;
        const int Responses = 800;
        for (var i = 0; i < Responses; i++)
        {
            var response = await client.GetAsync("/", Ct);
            var csp = response.Header("Content-Security-Policy")!;
            if (csp.Contains("report-uri /r", StringComparison.Ordinal))
            {
                reported++;
                Assert.NotNull(response.Header("Reporting-Endpoints"));
            }
            else
            {
                Assert.Null(response.Header("Reporting-Endpoints"));
            }
        }

        // Binomial(800, 0.25): mean 200, standard deviation about 12; the bounds are more than 6 deviations out.
        Assert.InRange(reported, 125, 275);
    }

    [Theory]
    [InlineData("SecureHeaders:ViolationReporting:Url", "reports/csp")]
    [InlineData("SecureHeaders:ViolationReporting:SampleRate", "1.5")]
    [InlineData("SecureHeaders:ViolationReporting:EndpointName", "Bad Name")]
    public async Task Invalid_reporting_settings_stop_startup(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["SecureHeaders:ViolationReporting:Url"] = "/r", [key] = value };
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(settings: settings));

        Assert.Contains(ex.Problems, p => p.Path == key);
    }
}
