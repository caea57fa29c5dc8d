namespace SecureHeaders.Reporting.Ingest;

/// <summary>The content types a report may arrive with.</summary>
internal static class ReportMediaTypes
{
    /// <summary>CSP's legacy <c>report-uri</c> delivery (CSP3 §5.4 "Report a violation").</summary>
    public const string CspReport = "application/csp-report";

    /// <summary>Reporting API delivery (W3C Reporting API §3.5.2 "Send reports").</summary>
    public const string ReportsJson = "application/reports+json";

    /// <summary>Sent by some older browsers and by tools for either format.</summary>
    public const string Json = "application/json";

    /// <summary>Whether a <c>Content-Type</c> header value names an accepted type; parameters such as charset are ignored.</summary>
    public static bool IsAccepted(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        if (semicolon >= 0)
        {
            span = span[..semicolon];
        }

        span = span.Trim();
        return span.Equals(CspReport, StringComparison.OrdinalIgnoreCase)
            || span.Equals(ReportsJson, StringComparison.OrdinalIgnoreCase)
            || span.Equals(Json, StringComparison.OrdinalIgnoreCase);
    }
}
