using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Normalization;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.AspNetCore.Pipeline;

/// <summary>
/// Decides which policy and learning session a report counts for. Everything in a report is attacker-controllable, so
/// the policy named in the report URL is only a claim: it is accepted when it is one of the app's own policies and the
/// report's page is on one of the app's origins (the origin the report was delivered to, or
/// <see cref="SecureHeadersReportingOptions.AppOrigins"/>). Anything else is stored unattributed and never feeds a
/// suggestion. Attributed reports get the id of the learning session whose window holds their timestamp and a
/// pseudonym of their client (HMAC of address and user agent under the store's key), for the diversity evidence.
/// </summary>
internal sealed class ReportAttribution
{
    private readonly IAppPolicySource? _app;
    private readonly HashSet<string> _appOrigins;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private volatile LearningSession[] _sessions = [];
    private volatile HashSet<string> _recordedNames = new(StringComparer.Ordinal);
    private byte[] _key = RandomNumberGenerator.GetBytes(32);
    private bool _keyLoaded;
    private bool _recorded;

    public ReportAttribution(IOptions<SecureHeadersReportingOptions> options, TimeProvider time, ILogger<ReportAttribution> logger, IAppPolicySource? app = null)
    {
        _app = app;
        _time = time;
        _logger = logger;
        _appOrigins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var origin in options.Value.AppOrigins)
        {
            if (UrlParts.TryParse(origin, out var parts) && parts.HasAuthority)
            {
                _appOrigins.Add(parts.Origin);
            }
        }
    }

    /// <summary>The report with its policy, session and client set, or unchanged when it cannot be attributed.</summary>
    public NormalizedReport Attribute(NormalizedReport report, RawReportBatch batch)
    {
        if (batch.ClaimedPolicy is not { } claimed)
        {
            return report;
        }

        if (!IsKnown(claimed))
        {
            LearningLog.NotAttributed(_logger, claimed, "not a policy of this app");
            return report;
        }

        if (!IsAppOrigin(report.DocumentOrigin, batch.ReceiverOrigin))
        {
            LearningLog.NotAttributed(_logger, claimed, "the page is not on one of the app's origins");
            return report;
        }

        return report with
        {
            Policy = claimed,
            Session = SessionAt(report.Timestamp),
            Client = batch.Client is { } client ? Pseudonym(client) : null,
        };
    }

    /// <summary>The open or ended session whose window holds <paramref name="at"/>, or 0.</summary>
    public long SessionAt(DateTimeOffset at)
    {
        foreach (var s in _sessions)
        {
            if (s.Contains(at))
            {
                return s.Id;
            }
        }

        return 0;
    }

    /// <summary>Applies a session started or ended in this process at once, without waiting for the next refresh.</summary>
    public void Apply(LearningSession session)
    {
        lock (_gate)
        {
            var list = new List<LearningSession>(_sessions.Length + 1) { session };
            foreach (var s in _sessions)
            {
                if (s.Id == session.Id)
                {
                    continue;
                }

                // Starting a session ends the open one at the same instant, as the store does.
                list.Add(s.EndedAt is null && s.Id < session.Id ? s with { EndedAt = session.StartedAt } : s);
            }

            _sessions = [.. list];
        }
    }

    /// <summary>
    /// Reads the sessions (which the CLI or another instance may have changed) and the policy names recorded in the
    /// store, loads the pseudonym key once, and records the app's own policies once the app has compiled them.
    /// Failures are logged and retried at the next call.
    /// </summary>
    public async Task RefreshAsync(IViolationStore store, CancellationToken cancellationToken)
    {
        try
        {
            if (!_keyLoaded)
            {
                try
                {
                    _key = await store.GetPseudonymKeyAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (NotSupportedException)
                {
                    // A custom store without a key: pseudonyms are stable for this process only.
                }

                _keyLoaded = true;
            }

            if (!_recorded && _app is { IsReady: true } app)
            {
                var snapshot = app.Current();
                try
                {
                    if (snapshot.Policies.Count > 0)
                    {
                        await store.RecordAppPoliciesAsync(snapshot, cancellationToken).ConfigureAwait(false);
                        LearningLog.AppPoliciesRecorded(_logger, snapshot.Policies.Count, snapshot.InlineHashes.Count);
                    }
                }
                catch (NotSupportedException)
                {
                    // The live app still serves suggestions through the API; only the CLI needs the recorded copy.
                }

                _recorded = true;
            }

            var sessions = await store.GetSessionsAsync(cancellationToken).ConfigureAwait(false);
            var recorded = await store.GetAppPoliciesAsync(cancellationToken).ConfigureAwait(false);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in recorded.Policies)
            {
                names.Add(p.Name);
            }

            _sessions = [.. sessions];
            _recordedNames = names;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the drain still writes what is pending.
        }
#pragma warning disable CA1031 // Learning state is best effort; collection goes on with the last known state.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LearningLog.RefreshFailed(_logger, ex);
        }
    }

    // The live app is the authority; names recorded in the store cover a collector shared by several apps.
    private bool IsKnown(string name) => (_app?.Knows(name) ?? false) || _recordedNames.Contains(name);

    private bool IsAppOrigin(string documentOrigin, string? receiverOrigin)
    {
        if (documentOrigin.Length == 0)
        {
            return false;
        }

        if (_appOrigins.Contains(documentOrigin))
        {
            return true;
        }

        return receiverOrigin is not null && UrlParts.TryParse(receiverOrigin, out var receiver) && receiver.HasAuthority
            && string.Equals(receiver.Origin, documentOrigin, StringComparison.OrdinalIgnoreCase);
    }

    private string Pseudonym(string client)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(client), mac);
        return Convert.ToHexStringLower(mac[..12]);
    }

    internal DateTimeOffset Now => _time.GetUtcNow();
}
