using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.Csp;
using SecureHeaders.Policies;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>
/// A page under the strict nonce policy with an inline script that violates it; the report must arrive at the
/// SecureHeaders collector (<c>/_secureheaders/reports</c>) in the expected format and be stored. The page path carries
/// the run's token, so this engine's report is told apart from the others'.
/// </summary>
public abstract class ReportingCheck : ConformanceCheck
{
    protected const string Collector = "/_secureheaders/reports";

    protected static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(12);

    public override string Header => "Content-Security-Policy";

    protected abstract void Report(SecureHeadersPolicy policy);

    public override void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet(Route("page/{token}"), (HttpContext c, string token) => Page(c, $"<script>window.violated = '{token}';</script>"))
            .WithSecureHeaders(p =>
            {
                p.ContentSecurityPolicy.UsePreset(nameof(CspPresets.StrictWithBasic));
                Report(p);
            });

    /// <summary>Opens the page and returns the reports of each media type that reached the collector for it.</summary>
    protected async Task<(bool ReportTo, bool ReportUri, string Stored)> DeliverAsync(CheckContext context, bool waitForBoth)
    {
        var opened = DateTimeOffset.UtcNow;
        await using var page = await context.OpenAsync(context.App(Route("page/" + context.Token)));
        bool Mine(Hosting.LoggedRequest r) => r.Method == "POST" && r.Path == Collector && r.Body?.Contains(context.Token, StringComparison.Ordinal) == true;
        var first = await context.Requests.WaitForAsync(Mine, DeliveryTimeout, context.CancellationToken);
        if (first is not null && waitForBoth)
        {
            // The other mechanism, if the engine also uses it, reports at about the same time.
            await context.Requests.WaitForAsync(r => Mine(r) && r.ContentType != first.ContentType, TimeSpan.FromSeconds(3), context.CancellationToken);
        }

        var reports = context.Requests.Matching(Mine);
        var reportTo = reports.Any(static r => r.ContentType?.StartsWith("application/reports+json", StringComparison.OrdinalIgnoreCase) == true);
        var reportUri = reports.Any(static r => r.ContentType?.StartsWith("application/csp-report", StringComparison.OrdinalIgnoreCase) == true);
        var stored = reports.Count == 0 ? string.Empty : await StoredAsync(context, opened);
        return (reportTo, reportUri, stored);
    }

    private static async Task<string> StoredAsync(CheckContext context, DateTimeOffset since)
    {
        var store = context.Server.Services.GetRequiredService<IViolationStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var result = await store.QueryAsync(new ViolationQuery { Since = since.AddSeconds(-1), Directive = "script-src-elem", Limit = ViolationQuery.MaxLimit }, context.CancellationToken);
            if (result.Violations.FirstOrDefault(static v => v.DocumentOrigin == "https://app.test") is { } stored)
            {
                return $"the collector stored it (script-src-elem, blocked {stored.BlockedUri})";
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new InvalidOperationException($"{context.Engine.Id}: a report reached {Collector} but the collector stored no script-src-elem violation for https://app.test within 10 s.");
            }

            await Task.Delay(200, context.CancellationToken);
        }
    }

    protected static string Types(bool reportTo, bool reportUri) => (reportTo, reportUri) switch
    {
        (true, true) => "both an application/reports+json (Reporting API format) and an application/csp-report (report-uri format) report",
        (true, false) => "an application/reports+json report (Reporting API format)",
        (false, true) => "an application/csp-report report (report-uri format)",
        _ => "no report",
    };
}

public sealed class CspReportToDelivered : ReportingCheck
{
    public override string Id => "csp-report-to-delivered";

    public override string? MdnFeature => "Content-Security-Policy/report-to";

    public override string Description => "With report-to and Reporting-Endpoints only, a CSP violation is reported to the endpoint report-to names (the collector) and stored; the evidence names the format.";

    public override string? WhereNotEnforced => "SecureHeaders always sends report-uri next to report-to (ViolationReporting), so engines without the Reporting API still report through report-uri (see csp-report-both-delivered).";

    protected override void Report(SecureHeadersPolicy policy)
    {
        policy.ContentSecurityPolicy.Set("report-to", "conformance");
        policy.ReportingEndpoints["conformance"] = Collector;
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var (reportTo, reportUri, stored) = await DeliverAsync(context, waitForBoth: false);
        return CheckResult.From(reportTo || reportUri, $"the violation produced {Types(reportTo, reportUri)} at the report-to endpoint within {DeliveryTimeout.TotalSeconds} s" + (stored.Length > 0 ? "; " + stored : string.Empty));
    }
}

public sealed class CspReportUriDelivered : ReportingCheck
{
    public override string Id => "csp-report-uri-delivered";

    public override string? MdnFeature => "Content-Security-Policy/report-uri";

    public override string Description => "With report-uri only, a CSP violation is reported to the collector (application/csp-report) and stored.";

    protected override void Report(SecureHeadersPolicy policy) => policy.ContentSecurityPolicy.Set("report-uri", Collector);

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var (reportTo, reportUri, stored) = await DeliverAsync(context, waitForBoth: false);
        return CheckResult.From(reportTo || reportUri, $"the violation produced {Types(reportTo, reportUri)} at the report-uri endpoint within {DeliveryTimeout.TotalSeconds} s" + (stored.Length > 0 ? "; " + stored : string.Empty));
    }
}

public sealed class CspReportBothDelivered : ReportingCheck
{
    public override string Id => "csp-report-both-delivered";

    public override string? MdnFeature => null;

    public override string Description => "With what AddSecureHeadersReporting() sends (report-to, report-uri and Reporting-Endpoints), the violation reaches the collector; the evidence names the mechanism the engine chose.";

    protected override void Report(SecureHeadersPolicy policy) => policy.SendViolationReports = true;

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        var (reportTo, reportUri, stored) = await DeliverAsync(context, waitForBoth: true);
        return CheckResult.From(reportTo || reportUri, $"with both directives the engine sent {Types(reportTo, reportUri)}" + (stored.Length > 0 ? "; " + stored : string.Empty));
    }
}

public sealed class CspReportToPreferred : ReportingCheck
{
    public override string Id => "csp-report-to-preferred";

    public override string? MdnFeature => "Content-Security-Policy/report-to";

    public override string Description => "With report-to and report-uri naming different collector URLs, the engine reports through report-to only, as CSP3 says (report-uri is ignored when report-to is present); partial when it uses both.";

    public override string? WhereNotEnforced => "Nothing is lost: the violation is still reported, through the other directive. Collectors must accept both formats, as SecureHeaders' does.";

    protected override void Report(SecureHeadersPolicy policy)
    {
        policy.ContentSecurityPolicy.Set("report-to", "conformance").Set("report-uri", Collector + "?via=report-uri");
        policy.ReportingEndpoints["conformance"] = Collector + "?via=report-to";
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await DeliverAsync(context, waitForBoth: true);
        var mine = context.Requests.Matching(r => r.Method == "POST" && r.Path == Collector && r.Body?.Contains(context.Token, StringComparison.Ordinal) == true);
        var viaReportTo = mine.Where(static r => r.Query == "?via=report-to").ToList();
        var viaReportUri = mine.Where(static r => r.Query == "?via=report-uri").ToList();
        string Formats(List<Hosting.LoggedRequest> requests) => string.Join(", ", requests.Select(static r => r.ContentType?.Split(';')[0]).Distinct());
        var evidence = $"report-to endpoint received {(viaReportTo.Count == 0 ? "nothing" : Formats(viaReportTo))}; report-uri endpoint received {(viaReportUri.Count == 0 ? "nothing" : Formats(viaReportUri))}";
        return (viaReportTo.Count > 0, viaReportUri.Count > 0) switch
        {
            (true, false) => new(Outcome.Enforced, evidence),
            (true, true) => new(Outcome.Partial, evidence),
            (false, true) => new(Outcome.Ignored, evidence),
            _ => throw new InvalidOperationException($"{context.Engine.Id}: {Id}: no report arrived at all ({evidence})."),
        };
    }
}
