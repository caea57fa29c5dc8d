namespace SecureHeaders.AspNetCore;

/// <summary>
/// The CSP nonce of the current response, as a request feature. Created on first use, so responses that
/// never need a nonce pay nothing. The same value is written into every nonce slot of the response's policies.
/// </summary>
public interface ICspNonceFeature
{
    /// <summary>The nonce, base64 (24 characters, 144 random bits), without the <c>'nonce-</c> prefix.</summary>
    string Nonce { get; }
}

/// <summary>A nonce drawn from the operating system's CSPRNG (CSP3 §7.1: unguessable, fresh for each response).</summary>
internal sealed class CspNonceFeature : ICspNonceFeature
{
    private readonly char[] _chars = new char[Policies.CspTemplate.NonceChars];
    private string? _nonce;

    public CspNonceFeature()
    {
        Policies.NonceGenerator.FillBase64(_chars);
    }

    /// <summary>A nonce the document already has (enhanced navigation, see <see cref="Infrastructure.EnhancedNavigation"/>); not drawn again.</summary>
    public CspNonceFeature(string documentNonce)
    {
        documentNonce.CopyTo(_chars);
        _nonce = documentNonce;
    }

    public string Nonce => _nonce ??= new string(_chars);

    /// <summary>The nonce characters without creating a string, for rendering the header.</summary>
    public ReadOnlySpan<char> Chars => _chars;
}
