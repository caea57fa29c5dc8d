using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SecureHeaders.Reporting.Normalization;

/// <summary>
/// The de-duplication key: reports that differ only in page path, query, timing or line number describe the same
/// problem and share a fingerprint.
/// </summary>
internal static class Fingerprint
{
    /// <summary>
    /// A 128-bit hex digest of the grouping fields, each length-prefixed so no two field lists collide by concatenation.
    /// The fields are encoded into one buffer and hashed once, so a report costs one string (the result).
    /// The policy and the session are appended only when set, so unattributed reports keep the fingerprints that
    /// stores written before attribution existed already hold.
    /// </summary>
    public static string Compute(NormalizedReport r)
    {
        var session = r.Session == 0 ? string.Empty : r.Session.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var size = Size(r.Type) + Size(r.Disposition) + Size(r.DocumentOrigin) + Size(r.Directive) + Size(r.BlockedUri) + Size(r.SourceHost)
            + Size(r.Policy) + Size(session);
        byte[]? rented = null;
        var buffer = size <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var written = 0;
            written += Write(buffer[written..], r.Type);
            written += Write(buffer[written..], r.Disposition);
            written += Write(buffer[written..], r.DocumentOrigin);
            written += Write(buffer[written..], r.Directive);
            written += Write(buffer[written..], r.BlockedUri);
            written += Write(buffer[written..], r.SourceHost);
            if (r.Policy.Length > 0 || session.Length > 0)
            {
                written += Write(buffer[written..], r.Policy);
                written += Write(buffer[written..], session);
            }

            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer[..written], digest);
            return Convert.ToHexStringLower(digest[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Equal for two reports exactly when their fingerprints are (the same fields <see cref="Compute"/> hashes), so
    /// that reports can be grouped before the digest is computed, once per group. Hashes with the process's randomised
    /// string hash, so crafted reports cannot pile into one bucket.
    /// </summary>
    public static IEqualityComparer<NormalizedReport> Grouping { get; } = new GroupingComparer();

    private sealed class GroupingComparer : IEqualityComparer<NormalizedReport>
    {
        public bool Equals(NormalizedReport? x, NormalizedReport? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null
                && x.Session == y.Session
                && string.Equals(x.BlockedUri, y.BlockedUri, StringComparison.Ordinal)
                && string.Equals(x.Directive, y.Directive, StringComparison.Ordinal)
                && string.Equals(x.DocumentOrigin, y.DocumentOrigin, StringComparison.Ordinal)
                && string.Equals(x.SourceHost, y.SourceHost, StringComparison.Ordinal)
                && string.Equals(x.Policy, y.Policy, StringComparison.Ordinal)
                && string.Equals(x.Type, y.Type, StringComparison.Ordinal)
                && string.Equals(x.Disposition, y.Disposition, StringComparison.Ordinal));

        // Every field a sender can vary freely; the rest (type, disposition, the app's policy names) take a handful of
        // values, so no crafted set of reports can share a bucket beyond that. Equals checks them all.
        public int GetHashCode(NormalizedReport r) => HashCode.Combine(r.BlockedUri, r.Directive, r.DocumentOrigin, r.SourceHost, r.Session);
    }

    private static int Size(string value) => 4 + Encoding.UTF8.GetMaxByteCount(value.Length);

    private static int Write(Span<byte> destination, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, length);
        return 4 + length;
    }
}
