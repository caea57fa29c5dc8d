namespace SecureHeaders.Headers;

/// <summary>The <c>Cache-Control</c> value SecureHeaders sends to keep sensitive or nonce-bearing responses out of caches.</summary>
public static class CacheControlHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Cache-Control";

    /// <summary><c>no-store</c> forbids storing the response in any cache (RFC 9111 §5.2.2.5); <c>max-age=0</c> covers caches that predate it.</summary>
    public const string NoStore = "no-store, max-age=0";
}
