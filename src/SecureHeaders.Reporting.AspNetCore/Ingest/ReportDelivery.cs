using Microsoft.AspNetCore.Http;
using SecureHeaders.Reporting.Ingest;

namespace SecureHeaders.Reporting.AspNetCore.Ingest;

/// <summary>
/// What the request that delivered reports says about them: the policy its URL names, the origin it was sent to and
/// who sent it. All of it is a claim; <see cref="AspNetCore.Pipeline.ReportAttribution"/> decides what counts.
/// </summary>
internal static class ReportDelivery
{
    /// <summary>The query parameter SecureHeaders puts in each policy's report URL.</summary>
    public const string PolicyParameter = "policy";

    /// <summary>Longest policy name taken from a URL; longer claims are no policy of ours.</summary>
    public const int MaxPolicyName = 200;

    /// <summary>The batch of <paramref name="reports"/> with what the request says about them.</summary>
    public static RawReportBatch Batch(HttpContext context, List<RawReport> reports, DateTimeOffset receivedAt)
    {
        var request = context.Request;
        // Without a per-policy report URL nothing is attributed, so the other claims need not be read.
        var claimed = request.QueryString.HasValue ? request.Query[PolicyParameter] : default;
        var policy = claimed.Count == 1 && claimed[0] is { Length: > 0 and <= MaxPolicyName } one ? one : null;
        if (policy is null)
        {
            return new RawReportBatch(reports, receivedAt);
        }

        var host = request.Host;
        var origin = host.HasValue ? request.Scheme + "://" + host.Value : null;
        var userAgent = request.Headers.UserAgent.ToString();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        return new RawReportBatch(reports, receivedAt)
        {
            ClaimedPolicy = policy,
            ReceiverOrigin = origin,
            Client = address + "\n" + (userAgent.Length > 512 ? userAgent[..512] : userAgent),
        };
    }
}
