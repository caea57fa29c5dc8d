using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;

namespace SecureHeaders.Compatibility;

/// <summary>The browsers the embedded compatibility data covers (MDN browser-compat-data identifiers).</summary>
public enum Browser
{
    /// <summary>Chrome on desktop (<c>chrome</c>).</summary>
    Chrome,

    /// <summary>Edge (<c>edge</c>); versions below 79 are the EdgeHTML engine.</summary>
    Edge,

    /// <summary>Firefox on desktop (<c>firefox</c>).</summary>
    Firefox,

    /// <summary>Safari on macOS (<c>safari</c>).</summary>
    Safari,

    /// <summary>Chrome on Android (<c>chrome_android</c>).</summary>
    ChromeAndroid,

    /// <summary>Safari on iOS and iPadOS (<c>safari_ios</c>).</summary>
    SafariIos,
}

/// <summary>Support of one feature in one browser.</summary>
/// <param name="Browser">The browser.</param>
/// <param name="Added">
/// The first version with support as MDN writes it (<c>"25"</c>, <c>"≤18"</c>, or <c>"yes"</c> when the version
/// is unknown), or <see langword="null"/> when the browser has never supported it.
/// </param>
/// <param name="Removed">The version that removed it again, if any.</param>
public sealed record BrowserVersionSupport(Browser Browser, string? Added, string? Removed)
{
    /// <summary>True when current versions of the browser support the feature.</summary>
    public bool IsSupported => Added is not null && Removed is null;

    /// <summary>The browser's usual name, e.g. "Safari on iOS".</summary>
    public string BrowserName => BrowserSupport.NameOf(Browser);

    /// <summary>A short text such as "Safari 15.4+", "not in Firefox" or "Firefox 48–121 (removed in 122)".</summary>
    public override string ToString() => (Added, Removed) switch
    {
        (null, _) => "not in " + BrowserName,
        ("yes", null) => BrowserName,
        (_, null) => BrowserName + " " + Added + "+",
        _ => $"{BrowserName} {Added} until {Removed} (removed)",
    };
}

/// <summary>What the compatibility data says about one header or one header feature (such as a CSP directive).</summary>
/// <param name="Feature">The header name, or <c>Header/feature</c> for a sub-feature.</param>
/// <param name="IsDeprecated">MDN marks it deprecated.</param>
/// <param name="IsExperimental">MDN marks it experimental.</param>
/// <param name="IsStandardTrack">It is on a standards track.</param>
/// <param name="Browsers">Support per browser, in the order of <see cref="Browser"/>.</param>
public sealed record FeatureSupport(string Feature, bool IsDeprecated, bool IsExperimental, bool IsStandardTrack, ImmutableArray<BrowserVersionSupport> Browsers)
{
    /// <summary>Support in one browser, or <see langword="null"/> when the data has no entry for it.</summary>
    public BrowserVersionSupport? For(Browser browser)
    {
        foreach (var entry in Browsers)
        {
            if (entry.Browser == browser)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The browsers whose current versions do not support the feature (never added, or removed).</summary>
    public IEnumerable<BrowserVersionSupport> Unsupported => Browsers.Where(static b => !b.IsSupported);

    /// <summary>True when every covered browser supports it today.</summary>
    public bool IsSupportedEverywhere => Browsers.All(static b => b.IsSupported);

    /// <summary>One line listing the first supporting version per browser, e.g. "Chrome 75+, Firefox 108+, not in Safari".</summary>
    public string Describe() => string.Join(", ", Browsers.Select(static b => b.ToString()));
}

/// <summary>
/// Browser support of security headers and of CSP directives and keywords, from MDN's browser-compat-data
/// (embedded; see Data/README.md for the version and licence).
/// </summary>
public static class BrowserSupport
{
    /// <summary>The header whose sub-features are the CSP directives and keywords.</summary>
    public const string ContentSecurityPolicy = "Content-Security-Policy";

    private static readonly Lazy<FrozenDictionary<string, FeatureSupport>> s_features = new(Load);

    /// <summary>The header names the data covers.</summary>
    public static IEnumerable<string> Headers => s_features.Value.Keys.Where(static k => !k.Contains('/', StringComparison.Ordinal)).Order(StringComparer.OrdinalIgnoreCase);

    /// <summary>Support of a response header, e.g. <c>Cross-Origin-Embedder-Policy</c>; case-insensitive.</summary>
    public static FeatureSupport? ForHeader(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return s_features.Value.GetValueOrDefault(header);
    }

    /// <summary>Support of a sub-feature of a header, e.g. (<c>Content-Security-Policy</c>, <c>script-src-elem</c>).</summary>
    public static FeatureSupport? ForHeaderFeature(string header, string feature)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(feature);
        return s_features.Value.GetValueOrDefault(header + "/" + feature);
    }

    /// <summary>
    /// Support of a CSP directive (<c>script-src-elem</c>) or source keyword (<c>strict-dynamic</c>,
    /// <c>'unsafe-hashes'</c>; quotes are optional), or <see langword="null"/> when the data does not cover it.
    /// </summary>
    public static FeatureSupport? ForCsp(string directiveOrKeyword)
    {
        ArgumentNullException.ThrowIfNull(directiveOrKeyword);
        return ForHeaderFeature(ContentSecurityPolicy, directiveOrKeyword.Trim('\''));
    }

    /// <summary>The usual name of a browser.</summary>
    public static string NameOf(Browser browser) => browser switch
    {
        Browser.Chrome => "Chrome",
        Browser.Edge => "Edge",
        Browser.Firefox => "Firefox",
        Browser.Safari => "Safari",
        Browser.ChromeAndroid => "Chrome on Android",
        Browser.SafariIos => "Safari on iOS",
        _ => browser.ToString(),
    };

    private static FrozenDictionary<string, FeatureSupport> Load()
    {
        using var document = Internal.EmbeddedData.Load("browser-support-http-headers.json");
        var result = new Dictionary<string, FeatureSupport>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in document.RootElement.GetProperty("headers").EnumerateObject())
        {
            Add(result, header.Name, header.Value);
            foreach (var feature in header.Value.EnumerateObject())
            {
                if (feature.Name is not "status" and not "support" && feature.Value.ValueKind == JsonValueKind.Object)
                {
                    Add(result, header.Name + "/" + feature.Name, feature.Value);
                }
            }
        }

        return result.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static void Add(Dictionary<string, FeatureSupport> result, string name, JsonElement element)
    {
        if (!element.TryGetProperty("support", out var support))
        {
            return;
        }

        var status = element.TryGetProperty("status", out var s) ? s : default;
        var browsers = ImmutableArray.CreateBuilder<BrowserVersionSupport>();
        foreach (var browser in Enum.GetValues<Browser>())
        {
            if (support.TryGetProperty(IdOf(browser), out var entry))
            {
                // MDN allows an array of entries (e.g. prefixed and unprefixed); the first one is the current one.
                if (entry.ValueKind == JsonValueKind.Array)
                {
                    entry = entry.EnumerateArray().FirstOrDefault();
                }

                browsers.Add(new(browser, Version(entry, "version_added"), Version(entry, "version_removed")));
            }
        }

        result[name] = new(name, Flag(status, "deprecated"), Flag(status, "experimental"), Flag(status, "standard_track"), browsers.ToImmutable());
    }

    private static string? Version(JsonElement entry, string property)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "yes",
            _ => null,
        };
    }

    private static bool Flag(JsonElement status, string property) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static string IdOf(Browser browser) => browser switch
    {
        Browser.ChromeAndroid => "chrome_android",
        Browser.SafariIos => "safari_ios",
        _ => browser.ToString().ToLowerInvariant(),
    };
}
