using System.Collections.Immutable;
using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>A parsed <c>Clear-Site-Data</c> value: the data types to clear.</summary>
/// <param name="Types">The types in order, without quotes.</param>
public sealed record ClearSiteDataValue(ImmutableArray<string> Types)
{
    /// <summary>Serializes as a list of quoted strings.</summary>
    public override string ToString() => string.Join(", ", Types.Select(static t => "\"" + t + "\""));
}

/// <summary>
/// The <c>Clear-Site-Data</c> header (W3C Clear Site Data §3), typically sent by a logout endpoint so that the
/// browser drops cookies, storage and cached pages of the signed-out user.
/// </summary>
public static class ClearSiteDataHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Clear-Site-Data";

    /// <summary>The types the specification and browsers define.</summary>
    public static readonly IReadOnlyList<string> Types = ["cache", "cookies", "storage", "executionContexts", "clientHints", "prefetchCache", "prerenderCache", "*"];

    /// <summary>Parses a value: a comma-separated list of quoted types (Clear Site Data §3.1). Unquoted types are ignored by browsers.</summary>
    public static HeaderParseResult<ClearSiteDataValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        var types = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in value.Split(','))
        {
            var token = raw.Trim(' ', '\t');
            if (token.Length == 0)
            {
                continue;
            }

            var quoted = token.Length >= 2 && token[0] == '"' && token[^1] == '"';
            var type = quoted ? token[1..^1] : token;
            if (!Types.Contains(type))
            {
                var guess = Internal.DidYouMean.Closest(type, Types);
                diagnostics.Add(new("clear-site-data-unknown-type", $"\"{type}\" is not a Clear-Site-Data type; browsers ignore it.",
                    guess is null ? "Use \"cache\", \"cookies\" or \"storage\"." : $"Did you mean \"{guess}\"?"));
                continue;
            }

            if (!quoted)
            {
                diagnostics.Add(new("clear-site-data-unquoted", $"{type} must be in double quotes; browsers ignore it otherwise.", $"Write \"{type}\"."));
                continue;
            }

            if (!types.Contains(type))
            {
                types.Add(type);
            }
        }

        return types.Count == 0
            ? new(null, diagnostics.Count > 0 ? diagnostics.ToImmutable() : [new HeaderDiagnostic("clear-site-data-empty", "The value names no data type.", "Use \"cache\", \"cookies\", \"storage\".")])
            : new(new ClearSiteDataValue(types.ToImmutable()), diagnostics.ToImmutable());
    }

    internal static string? Compile(IList<string>? types, string path, ConfigurationProblems problems) =>
        types is null || types.Count == 0
            ? null
            : HeaderCompiler.Compile(string.Join(", ", types.Select(static t => "\"" + t.Trim().Trim('"') + "\"")), path, problems, Parse, static v => v.ToString());

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new TypesDescription();

    /// <summary>A list of data types (or the header value itself); <c>null</c> or <c>[]</c> sends nothing.</summary>
    private sealed class TypesDescription : HeaderDescription
    {
        private readonly Lazy<Setting> _setting;

        public TypesDescription()
            : base(ClearSiteDataHeader.Name, "ClearSiteData", "Data types the browser clears when it receives the response, e.g. [\"cache\", \"cookies\", \"storage\"] on a logout endpoint. Default: not sent.")
        {
            // Built on first use: only binding a configuration section (and the docs) need it.
            _setting = new Lazy<Setting>(() =>
            {
                var group = new SettingGroup<HeaderSlot>();
                group.List(Key, Summary, static _ => null, static (slot, types) => slot.Value = types is null || types.Count == 0 ? null : types);
                var setting = group.Settings[0];
                setting.Default = "not sent";
                return setting;
            });
        }

        internal override Setting Setting => _setting.Value;

        internal override object? CreateDefault() => null;

        internal override object? CloneValue(object? value) => value is IList<string> types ? new List<string>(types) : null;

        internal override HeaderField? Compile(object? value, string path, ConfigurationProblems problems, HeaderCompileContext context) =>
            ClearSiteDataHeader.Compile(value as IList<string>, path, problems) is { } text ? new HeaderField(Name, text) : null;
    }
}
