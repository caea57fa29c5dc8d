using System.Security.Cryptography;

namespace SecureHeaders.Policies;

/// <summary>
/// Hands out CSP nonces from the operating system's CSPRNG. Asking the OS for 18 bytes costs a system call, more
/// than everything else a response's headers cost together, so each thread draws a block of random bytes at once
/// and serves nonces from it; every byte is used once and wiped when taken.
/// </summary>
internal static class NonceGenerator
{
    private const int BlockNonces = 64;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_position;

    /// <summary>Fills <paramref name="destination"/> (exactly <see cref="CspTemplate.NonceBytes"/> bytes) with unused CSPRNG output.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length != CspTemplate.NonceBytes)
        {
            throw new ArgumentException($"A nonce has {CspTemplate.NonceBytes} bytes.", nameof(destination));
        }

        var block = t_block ??= new byte[CspTemplate.NonceBytes * BlockNonces];
        if (t_position == 0 || t_position + CspTemplate.NonceBytes > block.Length)
        {
            RandomNumberGenerator.Fill(block);
            t_position = 0;
        }

        var slice = block.AsSpan(t_position, CspTemplate.NonceBytes);
        slice.CopyTo(destination);
        CryptographicOperations.ZeroMemory(slice);
        t_position += CspTemplate.NonceBytes;
        if (t_position == block.Length)
        {
            t_position = 0;
        }
    }

    /// <summary>Writes a fresh nonce as base64 (<see cref="CspTemplate.NonceChars"/> characters).</summary>
    public static void FillBase64(Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[CspTemplate.NonceBytes];
        Fill(bytes);
        Convert.TryToBase64Chars(bytes, destination, out _);
        CryptographicOperations.ZeroMemory(bytes);
    }
}
