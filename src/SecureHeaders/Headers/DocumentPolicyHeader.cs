using SecureHeaders.Headers.StructuredFields;

namespace SecureHeaders.Headers;

/// <summary>The <c>Document-Policy</c> header (WICG Document Policy), validated as a structured-field dictionary.</summary>
public static class DocumentPolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Document-Policy";

    /// <summary>Parses a value: a structured-field dictionary of configuration points (Document Policy §4).</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var dictionary = SfParser.ParseDictionary(value);
        return dictionary.Success && dictionary.Value.Length > 0
            ? new(new TokenHeaderValue(SfSerializer.SerializeDictionary(dictionary.Value)), [])
            : HeaderParseResult<TokenHeaderValue>.Invalid("document-policy-syntax",
                $"The value is not a structured-field dictionary: {dictionary.Error ?? "it is empty"}", "Write configuration points such as document-write=?0, js-profiling.");
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "DocumentPolicy", "A structured-field dictionary of Document Policy configuration points, e.g. document-write=?0. Not sent by default.", null, Parse);
}
