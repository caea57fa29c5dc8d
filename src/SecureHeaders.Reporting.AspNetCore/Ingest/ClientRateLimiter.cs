using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.Reporting.AspNetCore.Ingest;

/// <summary>
/// A token bucket per client address in front of the endpoint, checked before any body is read. The partition key
/// is a value type and the partition factory is cached, so an allowed request allocates nothing here.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? _limiter;
    private readonly Func<UInt128, RateLimiter> _createBucket;
    private readonly TokenBucketRateLimiterOptions _bucket;

    public ClientRateLimiter(ReportingRateLimitOptions options)
    {
        _bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.BurstLimit),
            TokensPerPeriod = Math.Max(1, options.RequestsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            // The partitioned limiter replenishes its buckets from one shared timer; a timer per client would not scale.
            AutoReplenishment = false,
        };
        _createBucket = _ => new TokenBucketRateLimiter(_bucket);
        if (options.Enabled)
        {
            _limiter = PartitionedRateLimiter.Create<HttpContext, UInt128>(Partition);
        }
    }

    /// <summary>Takes one permit for the request's client; <see langword="false"/> when its bucket is empty.</summary>
    public bool TryAcquire(HttpContext context)
    {
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(context);
        return lease.IsAcquired;
    }

    private RateLimitPartition<UInt128> Partition(HttpContext context) =>
        new(ClientKey(context.Connection.RemoteIpAddress), _createBucket);

    /// <summary>
    /// IPv4 addresses (also when mapped into IPv6) key by the whole address; IPv6 by its /64 network, which is what one
    /// subscriber usually gets, so hopping between addresses in it does not reset the limit.
    /// </summary>
    internal static UInt128 ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return UInt128.Zero;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return UInt128.Zero;
        }

        if (written == 4)
        {
            return new UInt128(1, BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
        {
            return new UInt128(1, BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        return new UInt128(2, BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    public void Dispose() => _limiter?.Dispose();
}
