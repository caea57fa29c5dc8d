using System.Security.Cryptography;

namespace SecureHeaders.Policies;

/// <summary>
/// Hands out CSP nonces from the operating system's CSPRNG. Asking the OS for 18 bytes costs a system call, more
/// than everything else a response's headers cost together, so each thread draws a block of random bytes at once
/// and serves nonces from it; every byte is used once and wiped when taken.
/// </summary>
internal static class NonceGenerator
{
    private const int BlockNonces = 256;

    // One thread-static reference to the thread's block and position: each thread-static access has a cost.
    [ThreadStatic]
    private static Block? t_block;

    private sealed class Block
    {
        public readonly byte[] Bytes = new byte[CspTemplate.NonceBytes * BlockNonces];
        public int Position;
    }

    /// <summary>Fills <paramref name="destination"/> (exactly <see cref="CspTemplate.NonceBytes"/> bytes) with unused CSPRNG output.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length != CspTemplate.NonceBytes)
        {
            throw new ArgumentException($"A nonce has {CspTemplate.NonceBytes} bytes.", nameof(destination));
        }

        var slice = Take();
        slice.CopyTo(destination);
        CryptographicOperations.ZeroMemory(slice);
    }

    /// <summary>Writes a fresh nonce as base64 (<see cref="CspTemplate.NonceChars"/> characters).</summary>
    public static void FillBase64(Span<char> destination)
    {
        // Encoded straight from the block, so that the bytes are never copied before they are wiped.
        var slice = Take();
        Convert.TryToBase64Chars(slice, destination, out _);
        CryptographicOperations.ZeroMemory(slice);
    }

    /// <summary>The next unused <see cref="CspTemplate.NonceBytes"/> bytes of this thread's block; the caller wipes them.</summary>
    private static Span<byte> Take()
    {
        var block = t_block ??= new Block();
        var bytes = block.Bytes;
        var position = block.Position;
        if (position == 0)
        {
            RandomNumberGenerator.Fill(bytes);
        }

        var next = position + CspTemplate.NonceBytes;
        block.Position = next == bytes.Length ? 0 : next;
        return bytes.AsSpan(position, CspTemplate.NonceBytes);
    }
}
