using System.Security.Cryptography;

namespace SecureHeaders.Csp;

/// <summary>
/// Hash sources for inline scripts, styles and attributes (CSP3 §2.3.1 <c>hash-source</c>, §6.7.3.3, §6.7.3.4).
/// </summary>
/// <remarks>
/// <para>
/// Browsers hash the element's text as the DOM holds it, encoded as UTF-8. The HTML parser has already turned
/// every CR LF and lone CR into LF (HTML §13.2.3.5 "Preprocessing the input stream"), so a file saved with
/// Windows line endings produces the same hash as with Unix ones. <see cref="Compute(string, CspHashAlgorithm)"/>
/// therefore normalises line endings first; use <see cref="ComputeExact"/> for text that never went through an
/// HTML parser (for example a script inserted with <c>textContent</c>). Checked in Chromium: a script served
/// with CR LF runs under the hash of its LF form and is blocked under the hash of its raw bytes.
/// </para>
/// <para>For attributes, the value after character references are decoded (<c>&amp;amp;</c> is <c>&amp;</c>) is hashed (also checked in Chromium); the HTML scanner of SecureHeaders.Analysis does that decoding.</para>
/// </remarks>
public static class CspHashes
{
    /// <summary>The hash source of inline content as an HTML parser delivers it: line endings normalised to LF, then UTF-8, then the digest.</summary>
    public static CspSource Compute(string content, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256)
    {
        ArgumentNullException.ThrowIfNull(content);
        return ComputeExact(NormalizeNewlines(content), algorithm);
    }

    /// <summary>The hash source of exactly this text (UTF-8), with no normalisation.</summary>
    public static CspSource ComputeExact(string content, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256) => CspSource.HashOf(content, algorithm);

    /// <summary>The hash source of bytes, e.g. a script file for Subresource Integrity-style pinning.</summary>
    public static CspSource Compute(ReadOnlySpan<byte> content, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256)
    {
        var digest = algorithm switch
        {
            CspHashAlgorithm.Sha256 => SHA256.HashData(content),
            CspHashAlgorithm.Sha384 => SHA384.HashData(content),
            CspHashAlgorithm.Sha512 => SHA512.HashData(content),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };
        return CspSource.Hash(NameOf(algorithm), Convert.ToBase64String(digest));
    }

    /// <summary>CR LF and lone CR become LF, as the HTML parser does before anything else.</summary>
    public static string NormalizeNewlines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;
    }

    /// <summary><c>sha256</c>, <c>sha384</c> or <c>sha512</c>.</summary>
    public static string NameOf(CspHashAlgorithm algorithm) => algorithm switch
    {
        CspHashAlgorithm.Sha256 => "sha256",
        CspHashAlgorithm.Sha384 => "sha384",
        CspHashAlgorithm.Sha512 => "sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Reads <c>sha256</c>/<c>sha384</c>/<c>sha512</c> (any case, with or without a dash: <c>SHA-256</c>).</summary>
    public static bool TryParseAlgorithm(string? name, out CspHashAlgorithm algorithm)
    {
        switch (name?.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant())
        {
            case "sha256":
                algorithm = CspHashAlgorithm.Sha256;
                return true;
            case "sha384":
                algorithm = CspHashAlgorithm.Sha384;
                return true;
            case "sha512":
                algorithm = CspHashAlgorithm.Sha512;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }
}
