using Microsoft.Extensions.Logging;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>The log events of the background CSP evaluation (ids in the same range as <see cref="SecureHeadersLog"/>).</summary>
internal static partial class CspEvaluationLog
{
    [LoggerMessage(15, LogLevel.Warning, "CSP of policy '{PolicyName}': {Check} ({Severity}): {Finding}", EventName = "CspFinding")]
    public static partial void CspFinding(ILogger logger, string policyName, string check, string severity, string finding);

    [LoggerMessage(16, LogLevel.Debug, "CSP of policy '{PolicyName}': {Check} ({Severity}): {Finding}", EventName = "CspFindingDetail")]
    public static partial void CspFindingDetail(ILogger logger, string policyName, string check, string severity, string finding);

    [LoggerMessage(22, LogLevel.Debug, "CSP evaluation of policy '{PolicyName}' done ({PolicyCount} policies evaluated in the background so far, {FindingCount} findings).", EventName = "CspEvaluationCompleted")]
    public static partial void CspEvaluationCompleted(ILogger logger, string policyName, int policyCount, int findingCount);

    [LoggerMessage(23, LogLevel.Warning, "The CSP evaluation of policy '{PolicyName}' failed, so its findings are not reported. The headers are not affected.", EventName = "CspEvaluationFailed")]
    public static partial void CspEvaluationFailed(ILogger logger, string policyName, Exception exception);
}
