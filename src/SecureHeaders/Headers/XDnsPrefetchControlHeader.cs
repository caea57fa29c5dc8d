namespace SecureHeaders.Headers;

/// <summary>The <c>X-DNS-Prefetch-Control</c> header (non-standard; Chromium and Firefox honour it).</summary>
public static class XDnsPrefetchControlHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-DNS-Prefetch-Control";

    /// <summary>Parses <c>on</c> or <c>off</c>.</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TokenHeaderValue.Parse(value, Name, "x-dns-prefetch-control", ["off", "on"]);
    }
}
