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

    [LoggerMessage(11, LogLevel.Error, "Writing {Violations} violation(s) to the store failed; they stay pending and are retried.", EventName = "FlushFailed")]
    public static partial void FlushFailed(ILogger logger, int violations, Exception exception);

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

    [LoggerMessage(17, LogLevel.Warning, "{Count} report(s) dropped: too many distinct violations are waiting for the store.", EventName = "PendingOverflow")]
    public static partial void PendingOverflow(ILogger logger, long count);

    [LoggerMessage(18, LogLevel.Error, "Writing the final batch on shutdown failed; {Reports} report(s) are lost.", EventName = "FinalFlushFailed")]
    public static partial void FinalFlushFailed(ILogger logger, long reports, Exception exception);

    [LoggerMessage(19, LogLevel.Error, "Creating the violation store schema failed; retrying.", EventName = "StoreInitFailed")]
    public static partial void StoreInitFailed(ILogger logger, Exception exception);
}
