using System.Threading.Channels;
using SecureHeaders.Reporting.Ingest;

namespace SecureHeaders.Reporting.AspNetCore.Pipeline;

/// <summary>
/// The bounded hand-off between the endpoint and the background writer. A write never waits: when the queue is full
/// the request is refused (503) so that everything answered with 204 is guaranteed to be written.
/// </summary>
internal sealed class ReportQueue
{
    private readonly Channel<RawReportBatch> _channel;

    public ReportQueue(int capacity)
    {
        _channel = Channel.CreateBounded<RawReportBatch>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    public ChannelReader<RawReportBatch> Reader => _channel.Reader;

    /// <summary>Queues a batch; <see langword="false"/> when the queue is full or already completed for shutdown.</summary>
    public bool TryEnqueue(RawReportBatch batch) => _channel.Writer.TryWrite(batch);

    /// <summary>Stops accepting batches; those already queued can still be read.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
