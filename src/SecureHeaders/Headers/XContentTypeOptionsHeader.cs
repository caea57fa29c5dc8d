namespace SecureHeaders.Headers;

/// <summary>The <c>X-Content-Type-Options</c> header (Fetch §3.7).</summary>
public static class XContentTypeOptionsHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "X-Content-Type-Options";

    /// <summary>The only defined value.</summary>
    public const string NoSniff = "nosniff";

    /// <summary>Parses a value; only <c>nosniff</c> is defined (Fetch §3.7).</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TokenHeaderValue.Parse(value, Name, "x-content-type-options", [NoSniff]);
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "XContentTypeOptions", "Stops browsers from guessing content types, so a text file is never run as a script. Only nosniff exists.", NoSniff, Parse, allowed: [NoSniff]);
}
