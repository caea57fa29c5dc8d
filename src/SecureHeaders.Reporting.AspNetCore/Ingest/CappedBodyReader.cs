using System.Buffers;
using System.IO.Pipelines;

namespace SecureHeaders.Reporting.AspNetCore.Ingest;

/// <summary>Outcome of reading a request body under a size cap.</summary>
internal enum BodyReadStatus
{
    Ok,
    TooLarge,
    Empty,
}

/// <summary>
/// Reads a request body into a pooled buffer, giving up as soon as more than the cap has arrived, so an oversized
/// or endless (chunked) body is never held in memory.
/// </summary>
internal static class CappedBodyReader
{
    public static async ValueTask<(BodyReadStatus Status, byte[]? Buffer, int Length)> ReadAsync(
        PipeReader reader, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (BodyReadStatus.TooLarge, null, 0);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var length = (int)buffer.Length;
                if (length == 0)
                {
                    reader.AdvanceTo(buffer.End);
                    return (BodyReadStatus.Empty, null, 0);
                }

                var rented = ArrayPool<byte>.Shared.Rent(length);
                buffer.CopyTo(rented);
                reader.AdvanceTo(buffer.End);
                return (BodyReadStatus.Ok, rented, length);
            }

            // Consume nothing yet: the pipe keeps what it has and returns more next time.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
