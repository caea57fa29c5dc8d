using Microsoft.Extensions.Logging;

namespace SecureHeaders.Reporting.AspNetCore.Diagnostics;

/// <summary>Log messages of policy learning (event ids 40–49).</summary>
internal static partial class LearningLog
{
    [LoggerMessage(40, LogLevel.Information, "Recorded {Count} compiled policy(ies) and {Hashes} inline hash(es) of the app in the violation store.", EventName = "AppPoliciesRecorded")]
    public static partial void AppPoliciesRecorded(ILogger logger, int count, int hashes);

    [LoggerMessage(41, LogLevel.Warning, "Reading learning sessions or recording the app's policies failed; retrying at the next flush.", EventName = "LearningRefreshFailed")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(42, LogLevel.Information, "Learning session {Id} started at {At:O}.", EventName = "LearningSessionStarted")]
    public static partial void SessionStarted(ILogger logger, long id, DateTimeOffset at);

    [LoggerMessage(43, LogLevel.Information, "Learning session {Id} ended at {At:O}.", EventName = "LearningSessionEnded")]
    public static partial void SessionEnded(ILogger logger, long id, DateTimeOffset at);

    [LoggerMessage(44, LogLevel.Warning, "Opt-in recorded by {By}: {Directive} {Source} for policy {Policy}, which learning had rejected ({Reason}).", EventName = "LearningOptIn")]
    public static partial void OptIn(ILogger logger, string by, string directive, string source, string policy, string reason);

    [LoggerMessage(45, LogLevel.Debug, "Reports claiming policy {Claimed} were not attributed: {Why}.", EventName = "ReportsNotAttributed")]
    public static partial void NotAttributed(ILogger logger, string claimed, string why);
}
