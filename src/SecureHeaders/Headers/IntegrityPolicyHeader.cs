using System.Collections.Immutable;
using SecureHeaders.Headers.StructuredFields;
using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>A parsed <c>Integrity-Policy</c> value (W3C Subresource Integrity, "Integrity-Policy" header).</summary>
/// <param name="BlockedDestinations">Request destinations that must carry integrity metadata, e.g. <c>script</c>.</param>
/// <param name="Sources">Where integrity may come from; only <c>inline</c> is defined.</param>
/// <param name="Endpoints">Reporting endpoint names (declared in <c>Reporting-Endpoints</c>).</param>
public sealed record IntegrityPolicyValue(ImmutableArray<string> BlockedDestinations, ImmutableArray<string> Sources, ImmutableArray<string> Endpoints)
{
    /// <summary>Serializes as a structured-field dictionary of token inner lists.</summary>
    public override string ToString()
    {
        var members = new List<KeyValuePair<string, SfMember>> { new("blocked-destinations", Tokens(BlockedDestinations)) };
        if (!Sources.IsEmpty)
        {
            members.Add(new("sources", Tokens(Sources)));
        }

        if (!Endpoints.IsEmpty)
        {
            members.Add(new("endpoints", Tokens(Endpoints)));
        }

        return SfSerializer.SerializeDictionary(members);
    }

    private static SfMember Tokens(ImmutableArray<string> tokens) => SfMember.FromInnerList(tokens.Select(static t => new SfItem(SfBareItem.Token(t))));
}

/// <summary>Options for <c>Integrity-Policy</c> and <c>Integrity-Policy-Report-Only</c>.</summary>
public sealed class IntegrityPolicyOptions
{
    /// <summary>Whether the header is sent. Default: <see langword="false"/>: it blocks every script without an integrity attribute, so it is an opt-in.</summary>
    public bool Enabled { get; set; }

    /// <summary>Whether to send <c>Integrity-Policy-Report-Only</c> (report, do not block) instead.</summary>
    public bool ReportOnly { get; set; }

    /// <summary>Destinations that require integrity metadata. Default: <c>script</c>; <c>style</c> is also defined.</summary>
    public IList<string> BlockedDestinations { get; set; } = ["script"];

    /// <summary>Reporting endpoint names, declared under ReportingEndpoints.</summary>
    public IList<string> Endpoints { get; set; } = [];

    internal IntegrityPolicyOptions Clone() => new() { Enabled = Enabled, ReportOnly = ReportOnly, BlockedDestinations = [.. BlockedDestinations], Endpoints = [.. Endpoints] };

    internal string? Compile(string path, ConfigurationProblems problems, ICollection<string> declaredEndpoints)
    {
        if (!Enabled)
        {
            return null;
        }

        foreach (var endpoint in Endpoints)
        {
            if (!declaredEndpoints.Contains(endpoint))
            {
                problems.Error(path + ":Endpoints", $"The endpoint \"{endpoint}\" is not declared in ReportingEndpoints, so browsers have nowhere to send reports.",
                    $"Add ReportingEndpoints:{endpoint} with its URL.");
            }
        }

        var text = new IntegrityPolicyValue([.. BlockedDestinations], ["inline"], [.. Endpoints.Where(SfSerializer.IsToken)]);
        string serialized;
        try
        {
            serialized = text.ToString();
        }
        catch (ArgumentException ex)
        {
            problems.Error(path, ex.Message, "Use script and style as destinations, and endpoint names made of letters, digits and '-'.");
            return null;
        }

        return HeaderCompiler.Compile(serialized, path, problems, IntegrityPolicyHeader.Parse, static v => v.ToString());
    }
}

/// <summary>The <c>Integrity-Policy</c> header (W3C Subresource Integrity, integrity policy section).</summary>
public static class IntegrityPolicyHeader
{
    /// <summary>The enforcing header name.</summary>
    public const string Name = "Integrity-Policy";

    /// <summary>The report-only header name.</summary>
    public const string ReportOnlyName = "Integrity-Policy-Report-Only";

    private static readonly string[] s_destinations = ["script", "style"];

    /// <summary>Parses a value: a structured-field dictionary with <c>blocked-destinations</c>, <c>sources</c> and <c>endpoints</c> inner lists of tokens.</summary>
    public static HeaderParseResult<IntegrityPolicyValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var dictionary = SfParser.ParseDictionary(value);
        if (!dictionary.Success)
        {
            return HeaderParseResult<IntegrityPolicyValue>.Invalid("integrity-policy-syntax", $"The value is not a structured-field dictionary: {dictionary.Error}",
                "Write blocked-destinations=(script), endpoints=(integrity-endpoint).");
        }

        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        ImmutableArray<string> blocked = [], sources = ["inline"], endpoints = [];
        foreach (var (key, member) in dictionary.Value)
        {
            var tokens = member.IsInnerList ? member.InnerList.Where(static i => i.Value.Kind == SfKind.Token).Select(static i => i.Value.AsString!).ToImmutableArray() : [];
            switch (key)
            {
                case "blocked-destinations":
                    foreach (var t in tokens.Where(t => !s_destinations.Contains(t)))
                    {
                        diagnostics.Add(new("integrity-policy-destination", $"\"{t}\" is not a destination Integrity-Policy can block.", "Use script or style."));
                    }

                    blocked = [.. tokens.Where(s_destinations.Contains)];
                    break;
                case "sources":
                    if (tokens.Any(static t => t != "inline"))
                    {
                        diagnostics.Add(new("integrity-policy-source", "Only the source inline is defined.", "Write sources=(inline) or leave it out."));
                    }

                    sources = tokens;
                    break;
                case "endpoints":
                    endpoints = tokens;
                    break;
                default:
                    diagnostics.Add(new("integrity-policy-unknown-key", $"{key} is not an Integrity-Policy member; browsers ignore it.", IsError: false));
                    break;
            }
        }

        if (blocked.IsEmpty)
        {
            diagnostics.Add(new("integrity-policy-nothing-blocked", "blocked-destinations is missing or empty, so the policy does nothing.", "Add blocked-destinations=(script)."));
        }

        return new(new IntegrityPolicyValue(blocked, sources, endpoints), diagnostics.ToImmutable());
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new OptionsHeaderDescription<IntegrityPolicyOptions>(
        Name, "IntegrityPolicy",
        "Blocks scripts (and optionally styles) loaded without an integrity attribute (W3C Subresource Integrity). Off by default; try ReportOnly first.",
        static () => new IntegrityPolicyOptions(), static o => o.Clone(),
        static () => new SettingGroup<IntegrityPolicyOptions>(static () => new IntegrityPolicyOptions())
            .Bool("Enabled", "Whether the header is sent.", static o => o.Enabled, static (o, v) => o.Enabled = v)
            .Bool("ReportOnly", "Send Integrity-Policy-Report-Only (report, do not block) instead.", static o => o.ReportOnly, static (o, v) => o.ReportOnly = v)
            .List("BlockedDestinations", "Request destinations that need integrity metadata: script, style.", static o => o.BlockedDestinations, static (o, v) => o.BlockedDestinations = v ?? [])
            .List("Endpoints", "Reporting endpoint names, declared under ReportingEndpoints.", static o => o.Endpoints, static (o, v) => o.Endpoints = v ?? []),
        ObjectShortcuts.Enabled<IntegrityPolicyOptions>(static (o, v) => o.Enabled = v),
        [(SettingKind.Boolean, "true sends it with the defaults, false switches it off")],
        static (options, path, problems, context) => options.Compile(path, problems, [.. context.DeclaredEndpoints]) is { } value
            ? new HeaderField(options.ReportOnly ? ReportOnlyName : Name, value)
            : null)
    {
        AlsoGoverns = [ReportOnlyName],
    };
}
