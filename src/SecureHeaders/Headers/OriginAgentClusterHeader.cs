using SecureHeaders.Headers.StructuredFields;

namespace SecureHeaders.Headers;

/// <summary>The <c>Origin-Agent-Cluster</c> header (HTML §7.1.5, a structured-field boolean).</summary>
public static class OriginAgentClusterHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Origin-Agent-Cluster";

    /// <summary>Parses <c>?1</c> or <c>?0</c>.</summary>
    public static HeaderParseResult<TokenHeaderValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var item = SfParser.ParseItem(value);
        return item.Success && item.Value!.Value.Kind == SfKind.Boolean
            ? new(new TokenHeaderValue((bool)item.Value.Value.Value ? "?1" : "?0"), [])
            : HeaderParseResult<TokenHeaderValue>.Invalid("origin-agent-cluster-invalid", $"\"{value}\" is not a structured-field boolean.", "Use ?1 (isolate this origin) or ?0.");
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<TokenHeaderValue>(Name, "OriginAgentCluster", "Asks the browser to isolate this origin in its own agent cluster (HTML §7.1.5): ?1 or ?0.", "?1", Parse, allowed: ["?1", "?0"]);
}
