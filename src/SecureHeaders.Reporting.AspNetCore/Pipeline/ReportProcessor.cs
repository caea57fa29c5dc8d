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
    private long _overflowSinceLog;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await InitializeStoreAsync(stoppingToken).ConfigureAwait(false);

        var reader = queue.Reader;
        var interval = _options.FlushInterval > TimeSpan.Zero ? _options.FlushInterval : TimeSpan.FromSeconds(1);
        var nextFlush = time.GetUtcNow() + interval;
        var nextRetention = time.GetUtcNow();
        Task<bool>? waitTask = null;
        Task? delayTask = null;

        while (!stoppingToken.IsCancellationRequested)
        {
            while (_aggregator.DistinctCount < _options.MaxPendingViolations && reader.TryRead(out var batch))
            {
                Process(batch);
            }

            var now = time.GetUtcNow();
            if (now >= nextFlush || _aggregator.DistinctCount >= _options.MaxPendingViolations)
            {
                await attribution.RefreshAsync(store, stoppingToken).ConfigureAwait(false);
                await FlushAsync(stoppingToken).ConfigureAwait(false);
                nextFlush = now + interval;
            }

            if (now >= nextRetention)
            {
                await ApplyRetentionAsync(now, stoppingToken).ConfigureAwait(false);
                nextRetention = now + _options.Retention.Interval;
            }

            if (waitTask is null)
            {
                var ready = reader.WaitToReadAsync(stoppingToken);
                if (ready.IsCompletedSuccessfully)
                {
                    if (!ready.Result)
                    {
                        break;
                    }

                    // Data is already waiting: go round again without allocating a wait.
                    continue;
                }

                waitTask = ready.AsTask();
            }

            // One timer per flush interval, reused across wake-ups, rather than one per wait.
            delayTask ??= Task.Delay(Max(nextFlush - time.GetUtcNow(), TimeSpan.FromMilliseconds(1)), time, stoppingToken);
            var done = await Task.WhenAny(waitTask, delayTask).ConfigureAwait(false);
            if (done == delayTask)
            {
                delayTask = null;
            }
            else
            {
                waitTask = null;
                if (done.IsCompletedSuccessfully && !((Task<bool>)done).Result)
                {
                    break;
                }
            }
        }

        await DrainAsync().ConfigureAwait(false);
    }

    private async Task InitializeStoreAsync(CancellationToken stoppingToken)
    {
        // A store that is briefly unavailable at start (a database still booting) must not lose the reports
        // that pile up meanwhile; they wait in the queue and the retry backs off to a few seconds.
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.InitializeAsync(stoppingToken).ConfigureAwait(false);
                ReportingLog.StoreReady(logger, store.ToString() ?? store.GetType().Name);
                await attribution.RefreshAsync(store, stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive any store failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReportingLog.StoreInitFailed(logger, ex);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (delay < TimeSpan.FromSeconds(5))
                {
                    delay *= 2;
                }
            }
        }
    }

    private void Process(RawReportBatch batch)
    {
        var reports = batch.Reports;
        int noise = 0, invalid = 0, overflow = 0;
        for (var i = 0; i < reports.Count; i++)
        {
            switch (normalizer.Normalize(reports[i], batch.ReceivedAt, out var normalized))
            {
                case NormalizeResult.Ok:
                    if (!_aggregator.TryAdd(attribution.Attribute(normalized!, batch), _options.MaxPendingViolations))
                    {
                        overflow++;
                    }

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
        if (overflow > 0)
        {
            metrics.AddLost(overflow);
            _overflowSinceLog += overflow;
        }
    }

    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        if (_overflowSinceLog > 0)
        {
            ReportingLog.PendingOverflow(logger, _overflowSinceLog);
            _overflowSinceLog = 0;
        }

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
            ReportingLog.FlushFailed(logger, batch.Violations.Count, ex);
            return false;
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

    private async Task DrainAsync()
    {
        ReportingLog.Draining(logger);
        // From here the endpoint's writes fail (503): nothing is acknowledged that would not be written.
        queue.Complete();
        long written = 0;
        var attempts = 0;
        while (true)
        {
            while (_aggregator.DistinctCount < _options.MaxPendingViolations && queue.Reader.TryRead(out var batch))
            {
                Process(batch);
            }

            var pending = _aggregator.ReportCount;
            if (pending == 0 && !queue.Reader.TryPeek(out _))
            {
                break;
            }

            if (await FlushAsync(CancellationToken.None).ConfigureAwait(false))
            {
                written += pending;
                attempts = 0;
                continue;
            }

            if (++attempts >= 3)
            {
                var lost = _aggregator.ReportCount;
                while (queue.Reader.TryRead(out var rest))
                {
                    lost += rest.Reports.Count;
                }

                metrics.AddLost(lost);
                ReportingLog.FinalFlushFailed(logger, lost, new InvalidOperationException("The violation store refused the final batch three times."));
                _aggregator.Clear();
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempts), time).ConfigureAwait(false);
        }

        ReportingLog.Drained(logger, written);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
