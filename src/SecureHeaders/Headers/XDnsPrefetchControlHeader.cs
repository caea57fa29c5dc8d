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

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "XDnsPrefetchControl", "Whether the browser resolves the names of links ahead of time; off avoids leaking which links a page shows.", "off", Parse, allowed: ["off", "on"]);
}
