using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting.Aggregation;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Normalization;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.AspNetCore.Pipeline;

/// <summary>
/// The single reader of the report queue: normalises, filters and de-duplicates reports, writes a batch every
/// flush interval, runs retention, and on shutdown drains the queue and writes what is left.
/// </summary>
/// <remarks>
/// <para>
/// A 204 from the endpoint means the reports will be stored, and this class keeps that promise rather than dropping
/// what it cannot write: a report is only ever removed from memory by a successful write. Memory stays bounded
/// because the reader stops taking bodies from the queue once <see cref="SecureHeadersReportingOptions.MaxPendingViolations"/>
/// distinct fingerprints are pending (a body in progress is finished, so the most held is that limit plus
/// <see cref="SecureHeadersReportingOptions.MaxReportsPerRequest"/>); the bounded queue then fills and the endpoint
/// answers 503 with <c>Retry-After</c> before it accepts anything it could not keep.
/// </para>
/// <para>
/// A failing store is retried with exponential back-off (<see cref="StoreRetry"/>: 1 s doubling to 30 s) and never in
/// a loop: while a retry is not due the reader waits on the clock only, not on the queue. The failure is logged once
/// when the store starts failing and once when it recovers; the attempts in between are counted in the
/// <c>secureheaders.reports.store_failures</c> metric.
/// </para>
/// </remarks>
internal sealed class ReportProcessor(
    ReportQueue queue,
    IViolationStore store,
    ReportNormalizer normalizer,
    ReportAttribution attribution,
    ReportingMetrics metrics,
    IOptions<SecureHeadersReportingOptions> options,
    TimeProvider time,
    ILogger<ReportProcessor> logger) : BackgroundService
{
    private readonly ViolationAggregator _aggregator = new();
    private readonly SecureHeadersReportingOptions _options = options.Value;
    private readonly StoreRetry _retry = new(time);
    private CancellationToken _shutdown = CancellationToken.None;

    /// <summary>The host's shutdown deadline bounds how long the final drain keeps retrying a failing store.</summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _shutdown = cancellationToken;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await InitializeStoreAsync(stoppingToken).ConfigureAwait(false))
        {
            await DrainAsync().ConfigureAwait(false);
            return;
        }

        var reader = queue.Reader;
        var interval = _options.FlushInterval > TimeSpan.Zero ? _options.FlushInterval : TimeSpan.FromSeconds(1);
        var nextFlush = time.GetUtcNow() + interval;
        var nextRetention = time.GetUtcNow();
        Task<bool>? dataReady = null;
        Task? sleep = null;
        var sleepUntil = DateTimeOffset.MinValue;
        var completed = false;

        while (!stoppingToken.IsCancellationRequested && !completed)
        {
            var took = false;
            while (!IsFull && reader.TryRead(out var batch))
            {
                Process(batch);
                took = true;
            }

            if (took)
            {
                // Under load, let the requests queued behind this pass add their batches before the reader looks again:
                // one pass per turn of the thread pool instead of a wake-up per request, which under load cost more
                // CPU than normalising the reports (benchmarks/reporting-load). Idle, the next pass finds nothing and
                // waits on the queue as before.
                await Task.Yield();
            }

            var now = time.GetUtcNow();
            if ((now >= nextFlush || IsFull) && _retry.IsDue(now))
            {
                if (await FlushAsync(stoppingToken).ConfigureAwait(false))
                {
                    nextFlush = time.GetUtcNow() + interval;

                    // Learning sessions and the app's policies are re-read only from a store that works: a failing
                    // one is left to the flush's back-off.
                    await attribution.RefreshAsync(store, stoppingToken).ConfigureAwait(false);
                }

                continue;
            }

            if (now >= nextRetention && !_retry.IsFailing)
            {
                await ApplyRetentionAsync(now, stoppingToken).ConfigureAwait(false);
                nextRetention = now + _options.Retention.Interval;
            }

            // What wakes the reader: the next flush (or retry, while the store fails), and new reports, unless it
            // already holds as many as it may. Waiting on the queue while full would return at once, every time.
            var wakeAt = _retry.IsFailing ? _retry.NextAttempt : IsFull ? now : nextFlush;
            if (!IsFull)
            {
                dataReady ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                if (dataReady.IsCompleted)
                {
                    completed = !await Ready(dataReady).ConfigureAwait(false);
                    dataReady = null;
                    continue;
                }
            }

            if (wakeAt <= now)
            {
                continue;
            }

            // One timer per deadline, kept across wake-ups for new reports, rather than one per wait.
            if (sleep is null || sleepUntil != wakeAt)
            {
                sleep = Task.Delay(wakeAt - now, time, stoppingToken);
                sleepUntil = wakeAt;
            }

            var woke = dataReady is null ? sleep : await Task.WhenAny(dataReady, sleep).ConfigureAwait(false);
            if (woke == sleep)
            {
                await sleep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                sleep = null;
            }
            else
            {
                completed = !await Ready(dataReady!).ConfigureAwait(false);
                dataReady = null;
            }
        }

        await DrainAsync().ConfigureAwait(false);
    }

    private bool IsFull => _aggregator.DistinctCount >= _options.MaxPendingViolations;

    private static async Task<bool> Ready(Task<bool> wait)
    {
        try
        {
            return await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return true; // stopping: the loop condition ends it
        }
    }

    /// <summary>Creates the schema, retrying with back-off; <see langword="false"/> when the host stopped first.</summary>
    private async Task<bool> InitializeStoreAsync(CancellationToken stoppingToken)
    {
        // A store that is briefly unavailable at start (a database still booting) must not lose the reports that
        // pile up meanwhile: they wait in the queue (503 once it is full).
        var retry = new StoreRetry(time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.InitializeAsync(stoppingToken).ConfigureAwait(false);
                ReportingLog.StoreReady(logger, store.ToString() ?? store.GetType().Name);
                await attribution.RefreshAsync(store, stoppingToken).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
#pragma warning disable CA1031 // The loop must survive any store failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (retry.Failed() == 1)
                {
                    ReportingLog.StoreInitFailed(logger, retry.Delay, ex);
                }

                metrics.AddStoreFailure();

                try
                {
                    await Task.Delay(retry.Delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        return false;
    }

    private void Process(RawReportBatch batch)
    {
        var reports = batch.Reports;
        int noise = 0, invalid = 0;
        for (var i = 0; i < reports.Count; i++)
        {
            switch (normalizer.Normalize(reports[i], batch.ReceivedAt, out var normalized))
            {
                case NormalizeResult.Ok:
                    _aggregator.Add(attribution.Attribute(normalized!, batch));
                    break;
                case NormalizeResult.Noise:
                    noise++;
                    break;
                default:
                    invalid++;
                    break;
            }
        }

        if (noise > 0) { metrics.AddNoise(noise); }
        if (invalid > 0) { metrics.AddInvalid(invalid); }
    }

    /// <summary>Writes what is pending. On failure the reports stay pending and the next attempt is scheduled.</summary>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_aggregator.DistinctCount == 0)
        {
            return true;
        }

        var batch = _aggregator.ToBatch();
        try
        {
            await store.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown interrupted the write; the pending reports are written by the drain.
            return false;
        }
#pragma warning disable CA1031 // A failing store must not stop the collector; reports stay pending.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (_retry.Failed() == 1)
            {
                // Logged when the state changes, not per attempt.
                ReportingLog.FlushFailed(logger, batch.Violations.Count, _aggregator.ReportCount, _retry.Delay, ex);
            }

            // Counted last, once the next attempt is scheduled (tests wait on this counter).
            metrics.AddStoreFailure();
            return false;
        }

        if (_retry.IsFailing)
        {
            ReportingLog.StoreRecovered(logger, _retry.Failures, time.GetUtcNow() - _retry.FailingSince);
            _retry.Succeeded();
        }

        metrics.AddStored(_aggregator.ReportCount);
        ReportingLog.Flushed(logger, batch.Violations.Count, _aggregator.ReportCount);
        _aggregator.Clear();
        return true;
    }

    private async Task ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await store.ApplyRetentionAsync(now - _options.Retention.MaxAge, _options.Retention.MaxViolations, cancellationToken)
                .ConfigureAwait(false);
            if (deleted > 0)
            {
                ReportingLog.RetentionApplied(logger, deleted);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Retention is housekeeping; try again next interval.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportingLog.RetentionFailed(logger, ex);
        }
    }

    /// <summary>
    /// Writes everything still queued or pending. A failing store is retried with the same back-off until the host's
    /// shutdown deadline (<c>HostOptions.ShutdownTimeout</c>); only then are the remaining reports counted as lost.
    /// </summary>
    private async Task DrainAsync()
    {
        ReportingLog.Draining(logger);
        // From here the endpoint's writes fail (503): nothing is acknowledged that would not be written.
        queue.Complete();
        long written = 0;
        while (true)
        {
            while (!IsFull && queue.Reader.TryRead(out var batch))
            {
                Process(batch);
            }

            var pending = _aggregator.ReportCount;
            if (pending == 0 && !queue.Reader.TryPeek(out _))
            {
                break;
            }

            if (_retry.IsDue(time.GetUtcNow()) && await FlushAsync(_shutdown).ConfigureAwait(false))
            {
                written += pending;
                continue;
            }

            try
            {
                var wait = _retry.NextAttempt - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, _shutdown).ConfigureAwait(false);
                }

                _shutdown.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                var lost = _aggregator.ReportCount;
                while (queue.Reader.TryRead(out var rest))
                {
                    lost += rest.Reports.Count;
                }

                metrics.AddLost(lost);
                ReportingLog.FinalFlushFailed(logger, lost);
                _aggregator.Clear();
                break;
            }
        }

        ReportingLog.Drained(logger, written);
    }
}
