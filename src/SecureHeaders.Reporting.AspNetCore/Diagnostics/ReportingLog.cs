using Microsoft.Extensions.Logging;

namespace SecureHeaders.Reporting.AspNetCore.Diagnostics;

/// <summary>Log messages of the collector. Event ids are fixed; request-path messages are Debug or Trace only.</summary>
internal static partial class ReportingLog
{
    [LoggerMessage(1, LogLevel.Trace, "Accepted {Count} report(s).", EventName = "ReportsAccepted")]
    public static partial void ReportsAccepted(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Debug, "Refused a report request with status {StatusCode}: {Reason}.", EventName = "RequestRefused")]
    public static partial void RequestRefused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(3, LogLevel.Debug, "The report queue is full; a request with {Count} report(s) was dropped.", EventName = "QueueFull")]
    public static partial void QueueFull(ILogger logger, int count);

    [LoggerMessage(4, LogLevel.Debug, "Skipped {Count} item(s) past the cap of {Cap} reports per request.", EventName = "ReportsSkipped")]
    public static partial void ReportsSkipped(ILogger logger, int count, int cap);

    [LoggerMessage(5, LogLevel.Error, "Unexpected error while receiving a report.", EventName = "IngestFailed")]
    public static partial void IngestFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Debug, "Wrote {Violations} violation(s) covering {Reports} report(s).", EventName = "Flushed")]
    public static partial void Flushed(ILogger logger, int violations, long reports);

    [LoggerMessage(11, LogLevel.Error, "Writing {Violations} violation(s) covering {Reports} report(s) to the store failed. They wait in memory (new reports are refused with 503 once the queue is full) and writes are retried with back-off, first in {Delay}; the next message says when the store works again.", EventName = "FlushFailed")]
    public static partial void FlushFailed(ILogger logger, int violations, long reports, TimeSpan delay, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "Stopping: draining the report queue.", EventName = "Draining")]
    public static partial void Draining(ILogger logger);

    [LoggerMessage(13, LogLevel.Information, "Report queue drained; {Reports} report(s) written on shutdown.", EventName = "Drained")]
    public static partial void Drained(ILogger logger, long reports);

    [LoggerMessage(14, LogLevel.Information, "Retention deleted {Rows} violation(s).", EventName = "RetentionApplied")]
    public static partial void RetentionApplied(ILogger logger, int rows);

    [LoggerMessage(15, LogLevel.Warning, "Retention failed; it is tried again at the next interval.", EventName = "RetentionFailed")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Violation store ready: {Store}.", EventName = "StoreReady")]
    public static partial void StoreReady(ILogger logger, string store);

    [LoggerMessage(18, LogLevel.Error, "The violation store still failed when the host's shutdown timeout ran out; {Reports} accepted report(s) are lost.", EventName = "FinalFlushFailed")]
    public static partial void FinalFlushFailed(ILogger logger, long reports);

    [LoggerMessage(19, LogLevel.Error, "Creating the violation store schema failed; retrying with back-off, first in {Delay}, until it works (reports wait in the queue).", EventName = "StoreInitFailed")]
    public static partial void StoreInitFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(20, LogLevel.Information, "The violation store accepts writes again after {Failures} failed attempt(s) over {Duration}.", EventName = "StoreRecovered")]
    public static partial void StoreRecovered(ILogger logger, int failures, TimeSpan duration);

    [LoggerMessage(21, LogLevel.Warning, "The reports dashboard ({DashboardPath}) and API ({ApiPath}) require an authenticated user, but the app has no authentication scheme, so they answer 403 to everyone. Add authentication (for example builder.Services.AddAuthentication(...).AddCookie() or your identity provider) and set SecureHeaders:Reporting:Dashboard:AuthorizationPolicy to a policy for the people who may read reports; or, in Development only, set SecureHeaders:Reporting:Dashboard:AllowAnonymous to true; or switch the page off with SecureHeaders:Reporting:Dashboard:Enabled = false.", EventName = "DashboardWithoutAuthentication")]
    public static partial void DashboardWithoutAuthentication(ILogger logger, string dashboardPath, string apiPath);

    [LoggerMessage(22, LogLevel.Warning, "The reports dashboard ({DashboardPath}) and API ({ApiPath}) are open to anonymous users in the {Environment} environment (SecureHeaders:Reporting:Dashboard:AllowAnonymous). Violation reports show page URLs and script samples; set AllowAnonymous in appsettings.Development.json only.", EventName = "DashboardOpenToAnonymous")]
    public static partial void DashboardOpenToAnonymous(ILogger logger, string dashboardPath, string apiPath, string environment);

    [LoggerMessage(23, LogLevel.Information, "The reports API ({ApiPath}) requires an authenticated user and the app has no authentication scheme, so it answers 403; the dashboard is off. Read the reports with `secureheaders reports` from the store, or add authentication to use the API.", EventName = "ReadApiWithoutAuthentication")]
    public static partial void ReadApiWithoutAuthentication(ILogger logger, string apiPath);
}
