using System.Diagnostics.Metrics;

namespace SecureHeaders.Reporting.AspNetCore.Diagnostics;

/// <summary>
/// Counters of the collector, kept as plain fields (one interlocked add on the request path) and published as
/// observable instruments on the <c>SecureHeaders.Reporting</c> meter.
/// </summary>
internal sealed class ReportingMetrics : IDisposable
{
    public const string MeterName = "SecureHeaders.Reporting";

    private readonly Meter _meter;
    private long _accepted;
    private long _refused;
    private long _rateLimited;
    private long _queueFull;
    private long _skipped;
    private long _invalid;
    private long _noise;
    private long _stored;
    private long _lost;
    private long _storeFailures;

    public ReportingMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableCounter("secureheaders.reports.accepted", () => Accepted, "{report}", "Reports accepted by the endpoint.");
        _meter.CreateObservableCounter("secureheaders.reports.refused", () => Refused, "{request}", "Requests refused (400, 413, 415).");
        _meter.CreateObservableCounter("secureheaders.reports.rate_limited", () => RateLimited, "{request}", "Requests refused by the per-client limit.");
        _meter.CreateObservableCounter("secureheaders.reports.queue_full", () => QueueFull, "{request}", "Requests dropped because the queue was full.");
        _meter.CreateObservableCounter("secureheaders.reports.skipped", () => Skipped, "{report}", "Items past the per-request cap.");
        _meter.CreateObservableCounter("secureheaders.reports.invalid", () => Invalid, "{report}", "Reports without the fields their type needs, or of an unknown type.");
        _meter.CreateObservableCounter("secureheaders.reports.noise", () => Noise, "{report}", "Reports filtered as browser noise.");
        _meter.CreateObservableCounter("secureheaders.reports.stored", () => Stored, "{report}", "Reports written to the store.");
        _meter.CreateObservableCounter("secureheaders.reports.lost", () => Lost, "{report}", "Reports lost after acceptance (the store still failing when the shutdown timeout ran out).");
        _meter.CreateObservableCounter("secureheaders.reports.store_failures", () => StoreFailures, "{attempt}", "Failed attempts to write to the store or create its schema (retried with back-off).");
    }

    public long Accepted => Volatile.Read(ref _accepted);
    public long Refused => Volatile.Read(ref _refused);
    public long RateLimited => Volatile.Read(ref _rateLimited);
    public long QueueFull => Volatile.Read(ref _queueFull);
    public long Skipped => Volatile.Read(ref _skipped);
    public long Invalid => Volatile.Read(ref _invalid);
    public long Noise => Volatile.Read(ref _noise);
    public long Stored => Volatile.Read(ref _stored);
    public long Lost => Volatile.Read(ref _lost);
    public long StoreFailures => Volatile.Read(ref _storeFailures);

    public void AddAccepted(int n) => Interlocked.Add(ref _accepted, n);
    public void AddRefused() => Interlocked.Increment(ref _refused);
    public void AddRateLimited() => Interlocked.Increment(ref _rateLimited);
    public void AddQueueFull() => Interlocked.Increment(ref _queueFull);
    public void AddSkipped(int n) => Interlocked.Add(ref _skipped, n);
    public void AddInvalid(int n) => Interlocked.Add(ref _invalid, n);
    public void AddNoise(int n) => Interlocked.Add(ref _noise, n);
    public void AddStored(long n) => Interlocked.Add(ref _stored, n);
    public void AddLost(long n) => Interlocked.Add(ref _lost, n);
    public void AddStoreFailure() => Interlocked.Increment(ref _storeFailures);

    public void Dispose() => _meter.Dispose();
}
