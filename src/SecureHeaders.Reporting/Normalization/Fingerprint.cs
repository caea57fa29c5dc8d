using System.Security.Cryptography;
using System.Text;

namespace SecureHeaders.Reporting.Normalization;

/// <summary>
/// The de-duplication key: reports that differ only in page path, query, timing or line number describe the same
/// problem and share a fingerprint.
/// </summary>
internal static class Fingerprint
{
    /// <summary>A 128-bit hex digest of the grouping fields, each length-prefixed so no two field lists collide by concatenation.</summary>
    public static string Compute(NormalizedReport r)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, r.Type);
        Append(hash, r.Disposition);
        Append(hash, r.DocumentOrigin);
        Append(hash, r.Directive);
        Append(hash, r.BlockedUri);
        Append(hash, r.SourceHost);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    private static void Append(IncrementalHash hash, string value)
    {
        Span<byte> length = stackalloc byte[4];
        var bytes = Encoding.UTF8.GetBytes(value);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
