using SecureHeaders.Configuration;
namespace SecureHeaders.Policies;

/// <summary>
/// Where browsers send violation reports. When <see cref="Url"/> is set, every policy that does not name a report
/// destination itself (and has <see cref="SecureHeadersPolicy.SendViolationReports"/>) gets one: a
/// <c>Reporting-Endpoints</c> entry, <c>report-to</c> and <c>report-uri</c> in its CSPs (CSP3 §6.4; browsers without
/// the Reporting API still use <c>report-uri</c>), <c>report-to</c> on COOP and COEP, and the endpoint of its
/// Integrity-Policy. <c>AddSecureHeadersReporting()</c> points it at SecureHeaders' own collector; any collector
/// that accepts <c>application/csp-report</c> and <c>application/reports+json</c> works.
/// </summary>
public sealed class ViolationReportingOptions
{
    /// <summary>The collector URL: an absolute https URL, or a path starting with '/' (browsers resolve it against the page). Default: none.</summary>
    public string? Url { get; set; }

    /// <summary>The Reporting API endpoint name used in <c>Reporting-Endpoints</c> and <c>report-to</c>. Default: <c>secureheaders</c>.</summary>
    public string EndpointName { get; set; } = "secureheaders";

    /// <summary>
    /// The share of responses that carry the reporting directives, between 0 and 1 (django-csp's
    /// <c>REPORT_PERCENTAGE</c>): busy sites can sample instead of receiving a report from every visitor. Default: 1.
    /// </summary>
    public double SampleRate { get; set; } = 1.0;

    /// <summary>
    /// Adds <c>?policy=NAME</c> to each policy's report URL (in <c>report-uri</c> and <c>Reporting-Endpoints</c>), so the
    /// collector knows which compiled policy a report is about and can learn per policy. On when
    /// <c>AddSecureHeadersReporting()</c> points reporting at SecureHeaders' own collector; other collectors may not expect the parameter. Default: off.
    /// </summary>
    public bool IdentifyPolicy { get; set; }

    /// <summary>The report URL of the policy named <paramref name="policyName"/>.</summary>
    /// <param name="policyName">The compiled policy's name.</param>
    internal string UrlFor(string? policyName)
    {
        if (!IdentifyPolicy || string.IsNullOrEmpty(policyName))
        {
            return Url!;
        }

        // Escaped so that any name stays one URL query value and one CSP token (no ';', ',', spaces or quotes).
        return Url + (Url!.Contains('?', StringComparison.Ordinal) ? "&policy=" : "?policy=") + Uri.EscapeDataString(policyName);
    }

    private bool _setByCollector;
    private string _urlPath = "SecureHeaders:ViolationReporting:Url";
    private string _endpointNamePath = "SecureHeaders:ViolationReporting:EndpointName";

    internal ViolationReportingOptions Clone() => (ViolationReportingOptions)MemberwiseClone();

    /// <summary>Records that the URL and endpoint name came from other settings (the collector's), so problems name those.</summary>
    internal void SetBy(string urlPath, string endpointNamePath)
    {
        _urlPath = urlPath;
        _endpointNamePath = endpointNamePath;
        _setByCollector = true;
    }

    internal void Validate(ConfigurationProblems problems)
    {
        if (Url is null || _setByCollector)
        {
            // The collector validates its own settings, at their own paths.
            return;
        }

        if (!Headers.ReportingEndpointsHeader.IsConfigurableUrl(Url, alsoReportUri: true))
        {
            problems.Error(_urlPath, $"\"{Headers.HeaderCompiler.Printable(Url)}\" is not an absolute https URL or a path starting with '/'.",
                "Use https://reports.example.com/csp or /_secureheaders/reports.");
        }

        if (!Headers.StructuredFields.SfSerializer.IsKey(EndpointName))
        {
            problems.Error(_endpointNamePath, $"\"{EndpointName}\" is not an endpoint name (lower-case letters, digits, '_', '-', '.', '*').", "Use a name such as secureheaders.");
        }

        if (double.IsNaN(SampleRate) || SampleRate is < 0 or > 1)
        {
            problems.Error("SecureHeaders:ViolationReporting:SampleRate", $"{SampleRate} is not a share of responses.", "Use a number between 0 and 1, e.g. 0.1 for one response in ten.");
        }
    }

    /// <summary>Adds the reporting destination to a copy of <paramref name="policy"/> where the policy names none itself.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="reportingApi">
    /// Also use the Reporting API (<c>Reporting-Endpoints</c>, <c>report-to</c>). Browsers only deliver those to
    /// https endpoints from secure pages, and prefer <c>report-to</c> over <c>report-uri</c> when both are present,
    /// so plain-HTTP responses get <c>report-uri</c> alone.
    /// </param>
    /// <param name="policyName">The policy's name, carried in the report URL when <see cref="IdentifyPolicy"/> is on.</param>
    internal SecureHeadersPolicy ApplyTo(SecureHeadersPolicy policy, bool reportingApi, string? policyName = null)
    {
        var wired = policy.Clone();
        var url = UrlFor(policyName);
        AddToCsp(wired.ContentSecurityPolicy, reportingApi, url);
        AddToCsp(wired.ContentSecurityPolicyReportOnly, reportingApi, url);
        if (!reportingApi)
        {
            return wired;
        }

        wired.ReportingEndpoints.TryAdd(EndpointName, url);
        wired.CrossOriginOpenerPolicy = WithReportTo(wired.CrossOriginOpenerPolicy, Headers.CrossOriginOpenerPolicyHeader.Parse);
        wired.CrossOriginEmbedderPolicy = WithReportTo(wired.CrossOriginEmbedderPolicy, Headers.CrossOriginEmbedderPolicyHeader.Parse);
        if (wired.IntegrityPolicy.Enabled && wired.IntegrityPolicy.Endpoints.Count == 0)
        {
            wired.IntegrityPolicy.Endpoints.Add(EndpointName);
        }

        return wired;
    }

    private void AddToCsp(Headers.ContentSecurityPolicyOptions csp, bool reportingApi, string url)
    {
        if (!csp.Enabled || csp.Directives.ContainsKey(Csp.CspDirectives.ReportTo) || csp.Directives.ContainsKey(Csp.CspDirectives.ReportUri))
        {
            return;
        }

        if (reportingApi)
        {
            csp.Set(Csp.CspDirectives.ReportTo, EndpointName);
        }

        csp.Set(Csp.CspDirectives.ReportUri, url);
    }

    private string? WithReportTo(string? value, Func<string, Headers.HeaderParseResult<Headers.CrossOriginPolicyValue>> parse)
    {
        if (string.IsNullOrEmpty(value) || parse(value) is not { Value: { ReportTo: null } parsed, HasErrors: false })
        {
            // Unset, already reporting, or invalid (the compiler reports the latter with its own path).
            return value;
        }

        return (parsed with { ReportTo = EndpointName }).ToString();
    }
}
