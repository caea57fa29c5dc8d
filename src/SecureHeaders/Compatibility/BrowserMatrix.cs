using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;

namespace SecureHeaders.Compatibility;

/// <summary>The browser engines the conformance suite runs.</summary>
public enum Engine
{
    /// <summary>Chromium (Blink): Chrome, Edge, Opera.</summary>
    Chromium,

    /// <summary>Firefox (Gecko).</summary>
    Firefox,

    /// <summary>WebKit, measured as WebKitGTK: the engine of Safari.</summary>
    WebKit,
}

/// <summary>What a protection did in an engine, as the conformance suite measured it.</summary>
public enum MeasuredOutcome
{
    /// <summary>The engine applied it as SecureHeaders sends it.</summary>
    Enforced,

    /// <summary>The engine behaved as if it were absent.</summary>
    Ignored,

    /// <summary>Some parts applied, others did not (see the evidence).</summary>
    Partial,
}

/// <summary>One cell of the matrix: a protection in one engine.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="EngineVersion">The engine version it was measured in.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Evidence">What the suite observed, in a sentence or two.</param>
public sealed record MeasuredSupport(Engine Engine, string EngineVersion, MeasuredOutcome Outcome, string Evidence)
{
    /// <summary>"Chromium 156", "Firefox 153", "WebKit 2.50".</summary>
    public string EngineName => BrowserMatrix.NameOf(Engine, EngineVersion);

    /// <summary>E.g. "ignored in Firefox 153".</summary>
    public override string ToString() => $"{Outcome.ToString().ToLowerInvariant()} in {EngineName}";
}

/// <summary>One protection of the matrix (a behaviour of one header), with its cells.</summary>
/// <param name="Id">The protection id, e.g. <c>permissions-policy-feature-disabled</c>.</param>
/// <param name="Header">The header it rides on, e.g. <c>Permissions-Policy</c>.</param>
/// <param name="Description">What was tested.</param>
/// <param name="MdnFeature">The MDN browser-compat-data feature (<c>Header</c> or <c>Header/feature</c>) it corresponds to, if any.</param>
/// <param name="Cells">One cell per measured engine.</param>
public sealed record MeasuredProtection(string Id, string Header, string Description, string? MdnFeature, ImmutableArray<MeasuredSupport> Cells)
{
    /// <summary>The cell of one engine, or <see langword="null"/> when it was not measured.</summary>
    public MeasuredSupport? For(Engine engine)
    {
        foreach (var cell in Cells)
        {
            if (cell.Engine == engine)
            {
                return cell;
            }
        }

        return null;
    }

    /// <summary>The cells whose outcome is not <see cref="MeasuredOutcome.Enforced"/>.</summary>
    public IEnumerable<MeasuredSupport> NotEnforced => Cells.Where(static c => c.Outcome != MeasuredOutcome.Enforced);

    /// <summary>What MDN's data says for the engine's browser (Chrome, Firefox, Safari), or <see langword="null"/> without MDN data.</summary>
    public BrowserVersionSupport? Mdn(Engine engine)
    {
        var feature = MdnFeature is null ? null
            : MdnFeature.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? BrowserSupport.ForHeaderFeature(MdnFeature[..slash], MdnFeature[(slash + 1)..])
            : BrowserSupport.ForHeader(MdnFeature);
        return feature?.For(BrowserMatrix.MdnBrowserOf(engine));
    }

    /// <summary>True when MDN says the engine's browser supports the feature but the engine did not enforce it, or the other way round.</summary>
    public bool DisagreesWithMdn(Engine engine) =>
        For(engine) is { } cell && Mdn(engine) is { } mdn && mdn.IsSupported != (cell.Outcome != MeasuredOutcome.Ignored);
}

/// <summary>
/// What each protection SecureHeaders sends does in Chromium, Firefox and WebKit, measured by the conformance suite
/// (<c>tests/SecureHeaders.ConformanceTests</c>) in real engines and shipped as an embedded copy of
/// <c>docs/browser-matrix.json</c>. Startup checks and scanner findings quote it next to MDN's data.
/// </summary>
public static class BrowserMatrix
{
    private static readonly Lazy<Data> s_data = new(static () =>
    {
        using var document = Internal.EmbeddedData.Load("browser-matrix.json");
        return Parse(document.RootElement);
    });

    /// <summary>The engine versions the matrix was measured in.</summary>
    public static IReadOnlyDictionary<Engine, string> EngineVersions => s_data.Value.Versions;

    /// <summary>Every measured protection, in id order.</summary>
    public static ImmutableArray<MeasuredProtection> Protections => s_data.Value.Protections;

    /// <summary>A protection by id, or <see langword="null"/>.</summary>
    public static MeasuredProtection? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return s_data.Value.ById.GetValueOrDefault(id);
    }

    /// <summary>The protections that ride on a header (case-insensitive), e.g. every CSP behaviour for <c>Content-Security-Policy</c>.</summary>
    public static IEnumerable<MeasuredProtection> ForHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Protections.Where(p => string.Equals(p.Header, header, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The protections measured for an MDN feature, e.g. <c>Content-Security-Policy/trusted-types</c> (case-insensitive).</summary>
    public static IEnumerable<MeasuredProtection> ForMdnFeature(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return Protections.Where(p => string.Equals(p.MdnFeature, feature, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// One sentence naming the engines that did not enforce the given protections, with MDN's claim beside it where
    /// the two disagree, e.g. "Tested: ignored in Firefox 153, WebKit 2.50 (MDN: Safari 16.4+)."; <see langword="null"/>
    /// when every engine enforced them.
    /// </summary>
    public static string? DescribeGaps(IEnumerable<MeasuredProtection> protections)
    {
        ArgumentNullException.ThrowIfNull(protections);
        var parts = new List<string>();
        foreach (var protection in protections)
        {
            foreach (var cell in protection.NotEnforced)
            {
                var text = cell.ToString();
                if (protection.DisagreesWithMdn(cell.Engine) && protection.Mdn(cell.Engine) is { } mdn)
                {
                    text += $" (MDN: {mdn})";
                }

                if (!parts.Contains(text))
                {
                    parts.Add(text);
                }
            }
        }

        return parts.Count == 0 ? null : "Tested: " + string.Join(", ", parts) + ".";
    }

    /// <summary>
    /// What the conformance suite measured for an MDN feature (e.g. <c>Content-Security-Policy/require-trusted-types-for</c>
    /// or <c>Permissions-Policy</c>), side by side with MDN where the two disagree, e.g. "Measured: enforced in Chromium
    /// 156, Firefox 153, WebKit 2.50 (MDN: not in Firefox)."; <see langword="null"/> when the suite has no check for it.
    /// </summary>
    public static string? DescribeMeasured(string mdnFeature)
    {
        ArgumentNullException.ThrowIfNull(mdnFeature);
        var protections = ForMdnFeature(mdnFeature).Concat(ForHeader(mdnFeature).Where(static p => p.MdnFeature is null)).Distinct().ToList();
        if (protections.Count == 0)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var engine in Enum.GetValues<Engine>())
        {
            var cells = protections.Select(p => p.For(engine)).OfType<MeasuredSupport>().ToList();
            if (cells.Count == 0)
            {
                continue;
            }

            var outcome = cells.All(static c => c.Outcome == MeasuredOutcome.Enforced) ? "enforced"
                : cells.All(static c => c.Outcome == MeasuredOutcome.Ignored) ? "ignored" : "partly enforced";
            var text = outcome + " in " + cells[0].EngineName;
            var mdn = protections.Where(p => p.DisagreesWithMdn(engine)).Select(p => p.Mdn(engine)).OfType<BrowserVersionSupport>().FirstOrDefault();
            if (mdn is not null)
            {
                text += $" (MDN: {mdn})";
            }

            parts.Add(text);
        }

        return parts.Count == 0 ? null : $"Measured ({string.Join(", ", protections.Select(static p => p.Id))}): {string.Join(", ", parts)}.";
    }

    /// <summary>The MDN browser whose engine it is: Chrome for Chromium, Firefox, Safari for WebKit.</summary>
    public static Browser MdnBrowserOf(Engine engine) => engine switch
    {
        Engine.Chromium => Browser.Chrome,
        Engine.Firefox => Browser.Firefox,
        _ => Browser.Safari,
    };

    /// <summary>The matrix key of an engine: <c>chromium</c>, <c>firefox</c>, <c>webkit</c>.</summary>
    public static string KeyOf(Engine engine) => engine.ToString().ToLowerInvariant();

    /// <summary>"Chromium 156", "Firefox 153", "WebKit 2.50": the engine with its major version (WebKitGTK's major.minor).</summary>
    public static string NameOf(Engine engine, string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var pieces = version.Split('.');
        var shortVersion = engine == Engine.WebKit && pieces.Length > 1 ? pieces[0] + "." + pieces[1] : pieces[0];
        return engine switch
        {
            Engine.Chromium => "Chromium ",
            Engine.Firefox => "Firefox ",
            _ => "WebKit ",
        } + shortVersion;
    }

    /// <summary>Reads a matrix in the <c>docs/browser-matrix.json</c> format (see docs/browser-matrix.md).</summary>
    internal static Data Parse(JsonElement root)
    {
        var versions = new Dictionary<Engine, string>();
        foreach (var engine in root.GetProperty("engines").EnumerateObject())
        {
            if (TryEngine(engine.Name, out var e))
            {
                versions[e] = engine.Value.GetString() ?? string.Empty;
            }
        }

        var meta = root.TryGetProperty("checks", out var checks) ? checks : default;
        var protections = ImmutableArray.CreateBuilder<MeasuredProtection>();
        foreach (var protection in root.GetProperty("protections").EnumerateObject())
        {
            var cells = ImmutableArray.CreateBuilder<MeasuredSupport>();
            foreach (var cell in protection.Value.EnumerateObject())
            {
                if (!TryEngine(cell.Name, out var engine))
                {
                    continue;
                }

                var outcome = cell.Value.GetProperty("outcome").GetString() switch
                {
                    "enforced" => MeasuredOutcome.Enforced,
                    "ignored" => MeasuredOutcome.Ignored,
                    "partial" => MeasuredOutcome.Partial,
                    var other => throw new FormatException($"browser-matrix.json: {protection.Name}/{cell.Name} has outcome \"{other}\"; expected enforced, ignored or partial."),
                };
                cells.Add(new(engine, versions.GetValueOrDefault(engine, string.Empty), outcome, cell.Value.GetProperty("evidence").GetString() ?? string.Empty));
            }

            string? Meta(string name) => meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(protection.Name, out var m) && m.TryGetProperty(name, out var v) ? v.GetString() : null;
            protections.Add(new(protection.Name, Meta("header") ?? string.Empty, Meta("description") ?? string.Empty, Meta("mdn"), cells.ToImmutable()));
        }

        protections.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var all = protections.ToImmutable();
        return new(versions.ToFrozenDictionary(), all, all.ToFrozenDictionary(static p => p.Id, StringComparer.Ordinal));
    }

    private static bool TryEngine(string key, out Engine engine)
    {
        (var ok, engine) = key switch
        {
            "chromium" => (true, Engine.Chromium),
            "firefox" => (true, Engine.Firefox),
            "webkit" => (true, Engine.WebKit),
            _ => (false, Engine.Chromium),
        };
        return ok;
    }

    internal sealed record Data(FrozenDictionary<Engine, string> Versions, ImmutableArray<MeasuredProtection> Protections, FrozenDictionary<string, MeasuredProtection> ById);
}
