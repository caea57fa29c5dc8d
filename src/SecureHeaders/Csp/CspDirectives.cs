using System.Collections.Frozen;

namespace SecureHeaders.Csp;

/// <summary>
/// The registry of CSP directives: CSP Level 3 (W3C Working Draft), Trusted Types, Upgrade Insecure Requests and
/// the deprecated or removed directives that still turn up in real policies.
/// </summary>
public static class CspDirectives
{
#pragma warning disable CS1591 // The constants are the directive names themselves.
    public const string DefaultSrc = "default-src";
    public const string ChildSrc = "child-src";
    public const string ConnectSrc = "connect-src";
    public const string FencedFrameSrc = "fenced-frame-src";
    public const string FontSrc = "font-src";
    public const string FrameSrc = "frame-src";
    public const string ImgSrc = "img-src";
    public const string ManifestSrc = "manifest-src";
    public const string MediaSrc = "media-src";
    public const string ObjectSrc = "object-src";
    public const string PrefetchSrc = "prefetch-src";
    public const string ScriptSrc = "script-src";
    public const string ScriptSrcElem = "script-src-elem";
    public const string ScriptSrcAttr = "script-src-attr";
    public const string StyleSrc = "style-src";
    public const string StyleSrcElem = "style-src-elem";
    public const string StyleSrcAttr = "style-src-attr";
    public const string WorkerSrc = "worker-src";
    public const string BaseUri = "base-uri";
    public const string Sandbox = "sandbox";
    public const string PluginTypes = "plugin-types";
    public const string Webrtc = "webrtc";
    public const string FormAction = "form-action";
    public const string FrameAncestors = "frame-ancestors";
    public const string NavigateTo = "navigate-to";
    public const string ReportUri = "report-uri";
    public const string ReportTo = "report-to";
    public const string RequireTrustedTypesFor = "require-trusted-types-for";
    public const string TrustedTypes = "trusted-types";
    public const string UpgradeInsecureRequests = "upgrade-insecure-requests";
    public const string BlockAllMixedContent = "block-all-mixed-content";
    public const string RequireSriFor = "require-sri-for";
    public const string ReflectedXss = "reflected-xss";
    public const string Referrer = "referrer";
    public const string DisownOpener = "disown-opener";
#pragma warning restore CS1591

    private static readonly CspDirectiveInfo[] s_all =
    [
        Fetch(DefaultSrc),
        Fetch(ChildSrc, ChildSrc, DefaultSrc),
        Fetch(ConnectSrc, ConnectSrc, DefaultSrc),
        Fetch(FencedFrameSrc, FencedFrameSrc, FrameSrc, ChildSrc, DefaultSrc) with { IsExperimental = true },
        Fetch(FontSrc, FontSrc, DefaultSrc),
        Fetch(FrameSrc, FrameSrc, ChildSrc, DefaultSrc),
        Fetch(ImgSrc, ImgSrc, DefaultSrc),
        Fetch(ManifestSrc, ManifestSrc, DefaultSrc),
        Fetch(MediaSrc, MediaSrc, DefaultSrc),
        Fetch(ObjectSrc, ObjectSrc, DefaultSrc),
        Fetch(PrefetchSrc, PrefetchSrc, DefaultSrc) with { IsDeprecated = true, Replacement = "default-src (prefetches are governed by the destination's own fetch directive)" },
        Fetch(ScriptSrc, ScriptSrc, DefaultSrc),
        Fetch(ScriptSrcElem, ScriptSrcElem, ScriptSrc, DefaultSrc),
        Fetch(ScriptSrcAttr, ScriptSrcAttr, ScriptSrc, DefaultSrc),
        Fetch(StyleSrc, StyleSrc, DefaultSrc),
        Fetch(StyleSrcElem, StyleSrcElem, StyleSrc, DefaultSrc),
        Fetch(StyleSrcAttr, StyleSrcAttr, StyleSrc, DefaultSrc),
        Fetch(WorkerSrc, WorkerSrc, ChildSrc, ScriptSrc, DefaultSrc),

        new(BaseUri, CspDirectiveKind.Document, CspValueKind.SourceList, []),
        new(Sandbox, CspDirectiveKind.Document, CspValueKind.SandboxTokens, []),
        new(PluginTypes, CspDirectiveKind.Document, CspValueKind.MediaTypes, [], IsDeprecated: true, Replacement: "object-src 'none'"),
        new(Webrtc, CspDirectiveKind.Document, CspValueKind.AllowOrBlock, [], IsExperimental: true),

        new(FormAction, CspDirectiveKind.Navigation, CspValueKind.SourceList, []),
        new(FrameAncestors, CspDirectiveKind.Navigation, CspValueKind.AncestorSourceList, []),
        new(NavigateTo, CspDirectiveKind.Navigation, CspValueKind.SourceList, [], IsDeprecated: true, Replacement: "form-action (navigate-to was removed from CSP3 and never shipped)"),

        new(ReportUri, CspDirectiveKind.Reporting, CspValueKind.UriReferences, [], IsDeprecated: true, Replacement: "report-to with a Reporting-Endpoints header (keep report-uri alongside for browsers without report-to)"),
        new(ReportTo, CspDirectiveKind.Reporting, CspValueKind.ReportingEndpointName, []),

        new(RequireTrustedTypesFor, CspDirectiveKind.TrustedTypes, CspValueKind.TrustedTypesSinkGroups, []),
        new(TrustedTypes, CspDirectiveKind.TrustedTypes, CspValueKind.TrustedTypesPolicyNames, []),

        new(UpgradeInsecureRequests, CspDirectiveKind.Other, CspValueKind.None, []),
        new(BlockAllMixedContent, CspDirectiveKind.Other, CspValueKind.None, [], IsDeprecated: true, Replacement: "upgrade-insecure-requests (browsers now block or upgrade mixed content by default)"),
        new(RequireSriFor, CspDirectiveKind.Other, CspValueKind.SriResourceTypes, [], IsDeprecated: true, Replacement: "integrity attributes on each script and an Integrity-Policy header"),
        new(ReflectedXss, CspDirectiveKind.Other, CspValueKind.Unknown, [], IsDeprecated: true, Replacement: "nothing: browsers removed their XSS auditors; use a strict script-src"),
        new(Referrer, CspDirectiveKind.Other, CspValueKind.Unknown, [], IsDeprecated: true, Replacement: "the Referrer-Policy header"),
        new(DisownOpener, CspDirectiveKind.Other, CspValueKind.Unknown, [], IsDeprecated: true, Replacement: "the Cross-Origin-Opener-Policy header"),
    ];

    private static readonly FrozenDictionary<string, CspDirectiveInfo> s_byName =
        s_all.ToFrozenDictionary(static d => d.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every directive the registry knows, in the order of the specifications.</summary>
    public static IReadOnlyList<CspDirectiveInfo> All => s_all;

    /// <summary>Looks up a directive by name, ignoring ASCII case.</summary>
    /// <returns>The entry, or <see langword="null"/> for a directive the registry does not know.</returns>
    public static CspDirectiveInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.GetValueOrDefault(name);
    }

    /// <summary>True when <paramref name="name"/> is a known directive.</summary>
    public static bool IsKnown(string name) => Find(name) is not null;

    /// <summary>Looks up a directive by a name inside a larger string (ignoring ASCII case), without allocating.</summary>
    internal static CspDirectiveInfo? Find(ReadOnlySpan<char> name) =>
        s_byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var info) ? info : null;

    /// <summary>Suggests the known directive closest to a misspelt name, or <see langword="null"/> when none is close.</summary>
    public static string? SuggestFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Internal.DidYouMean.Closest(name, s_byName.Keys);
    }

    private static CspDirectiveInfo Fetch(string name, params string[] fallback) =>
        new(name, CspDirectiveKind.Fetch, CspValueKind.SourceList, fallback.Length == 0 ? [name] : fallback);
}
