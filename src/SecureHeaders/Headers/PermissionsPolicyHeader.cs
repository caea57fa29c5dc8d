using System.Collections.Immutable;
using SecureHeaders.Headers.StructuredFields;
using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>The allowlist of one feature (Permissions Policy §5.2 "allowlist").</summary>
/// <param name="All">True for <c>*</c>: every origin.</param>
/// <param name="Self">True when the page's own origin is allowed.</param>
/// <param name="Origins">Other allowed origins, serialized (<c>https://example.com</c>).</param>
public sealed record PermissionsAllowlist(bool All, bool Self, ImmutableArray<string> Origins)
{
    /// <summary>The empty allowlist <c>()</c>: the feature is off for everyone.</summary>
    public static readonly PermissionsAllowlist None = new(false, false, []);

    /// <summary>True for <c>()</c>.</summary>
    public bool IsNone => !All && !Self && Origins.IsEmpty;

    internal SfMember ToMember()
    {
        if (All)
        {
            return SfMember.FromItem(new SfItem(SfBareItem.Token("*")));
        }

        var items = new List<SfItem>();
        if (Self)
        {
            items.Add(new SfItem(SfBareItem.Token("self")));
        }

        foreach (var origin in Origins)
        {
            items.Add(new SfItem(SfBareItem.String(origin)));
        }

        return SfMember.FromInnerList(items);
    }
}

/// <summary>A parsed <c>Permissions-Policy</c>: features and their allowlists, in order.</summary>
/// <param name="Features">Each feature with its allowlist.</param>
public sealed record PermissionsPolicyValue(ImmutableArray<KeyValuePair<string, PermissionsAllowlist>> Features)
{
    /// <summary>The allowlist of a feature, or <see langword="null"/> when the policy does not mention it (its default allowlist applies).</summary>
    public PermissionsAllowlist? Find(string feature)
    {
        foreach (var (name, allowlist) in Features)
        {
            if (name == feature)
            {
                return allowlist;
            }
        }

        return null;
    }

    /// <summary>Serializes as a structured-field dictionary.</summary>
    public override string ToString()
    {
        // A loop rather than LINQ over the struct pairs, which would be JIT-compiled when the policy is compiled at startup.
        var members = new KeyValuePair<string, SfMember>[Features.Length];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new(Features[i].Key, Features[i].Value.ToMember());
        }

        return SfSerializer.SerializeDictionary(members);
    }
}

/// <summary>Options for <c>Permissions-Policy</c>.</summary>
public sealed class PermissionsPolicyOptions
{
    /// <summary>Whether the header is sent. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Features and their allowlists. An empty list is <c>()</c> (off everywhere); items are <c>self</c>, <c>*</c>
    /// or origins such as <c>https://maps.example.com</c>. Defaults switch off powerful features a server-rendered
    /// site rarely needs and keep same-origin use of the few it does (see the README for each choice).
    /// </summary>
    public IDictionary<string, string[]> Features { get; set; } = DefaultFeatures();

    /// <summary>Accept feature names this version does not know (new browser features). Default: <see langword="false"/>, so typos fail at startup.</summary>
    public bool AllowUnknownFeatures { get; set; }

    /// <summary>The default feature set.</summary>
    public static Dictionary<string, string[]> DefaultFeatures() => new(StringComparer.Ordinal)
    {
        ["accelerometer"] = [],
        ["autoplay"] = [],
        ["browsing-topics"] = [],
        ["camera"] = [],
        ["clipboard-read"] = [],
        ["clipboard-write"] = ["self"],
        // (self), the feature's own default allowlist, not (): with () Chromium never makes the page crossOriginIsolated,
        // so an app that opts into COEP require-corp would get isolation in Firefox and WebKit but not in Chromium
        // (measured: docs/browser-matrix.md, coep-require-corp-blocks-embed). Cross-origin frames stay excluded.
        ["cross-origin-isolated"] = ["self"],
        ["display-capture"] = [],
        ["encrypted-media"] = [],
        ["fullscreen"] = ["self"],
        ["gamepad"] = [],
        ["geolocation"] = [],
        ["gyroscope"] = [],
        ["hid"] = [],
        ["idle-detection"] = [],
        ["keyboard-map"] = [],
        ["magnetometer"] = [],
        ["microphone"] = [],
        ["midi"] = [],
        ["payment"] = [],
        ["picture-in-picture"] = [],
        ["publickey-credentials-get"] = ["self"],
        ["screen-wake-lock"] = [],
        ["serial"] = [],
        ["sync-xhr"] = ["self"],
        ["usb"] = [],
        ["xr-spatial-tracking"] = [],
    };

    internal PermissionsPolicyOptions Clone() => new()
    {
        Enabled = Enabled,
        AllowUnknownFeatures = AllowUnknownFeatures,
        Features = new Dictionary<string, string[]>(Features, StringComparer.Ordinal),
    };

    internal string? Compile(string path, ConfigurationProblems problems)
    {
        if (!Enabled || Features.Count == 0)
        {
            return null;
        }

        var features = new List<KeyValuePair<string, PermissionsAllowlist>>();
        foreach (var (feature, items) in Features)
        {
            var featurePath = path + ":Features:" + feature;
            if (!SfSerializer.IsKey(feature))
            {
                problems.Error(featurePath, $"\"{feature}\" is not a feature name (lower-case letters, digits and '-').", "Write feature names in lower case, e.g. camera, geolocation.");
                continue;
            }

            if (!AllowUnknownFeatures && !PermissionsPolicyHeader.KnownFeatures.Contains(feature) && !feature.StartsWith("ch-", StringComparison.Ordinal))
            {
                var guess = Internal.DidYouMean.Closest(feature, PermissionsPolicyHeader.KnownFeatures);
                problems.Error(featurePath, $"\"{feature}\" is not a known Permissions-Policy feature; browsers ignore it and log an error.",
                    guess is not null ? $"Did you mean {guess}?" : "Check the name, or set AllowUnknownFeatures for a feature newer than this library.");
                continue;
            }

            if (PermissionsPolicyHeader.ObsoleteFeatures.Contains(feature))
            {
                problems.Warning(featurePath, $"{feature} is obsolete; current browsers log an error for it.", "Remove it.");
            }

            if (PermissionsPolicyHeader.ParseAllowlist(items ?? [], featurePath, problems) is { } allowlist)
            {
                features.Add(new(feature, allowlist));
            }
        }

        return features.Count == 0 ? null : new PermissionsPolicyValue([.. features]).ToString();
    }
}

/// <summary>The <c>Permissions-Policy</c> header (W3C Permissions Policy §5).</summary>
public static class PermissionsPolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Permissions-Policy";

    /// <summary>Policy-controlled features that current browsers recognise (client hints, <c>ch-*</c>, are accepted separately).</summary>
    public static readonly IReadOnlySet<string> KnownFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        "accelerometer", "all-screens-capture", "ambient-light-sensor", "attribution-reporting", "autofill", "autoplay", "bluetooth", "browsing-topics",
        "camera", "captured-surface-control", "clipboard-read", "clipboard-write", "compute-pressure", "cross-origin-isolated",
        "deferred-fetch", "deferred-fetch-minimal", "digital-credentials-get", "direct-sockets", "display-capture", "document-domain",
        "encrypted-media", "execution-while-not-rendered", "execution-while-out-of-viewport", "focus-without-user-activation",
        "fullscreen", "gamepad", "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection", "interest-cohort",
        "join-ad-interest-group", "keyboard-map", "language-detector", "language-model", "local-fonts", "local-network-access",
        "magnetometer", "media-playback-while-not-visible", "microphone", "midi", "navigation-override", "otp-credentials", "payment",
        "picture-in-picture", "popins", "private-aggregation", "private-state-token-issuance", "private-state-token-redemption",
        "publickey-credentials-create", "publickey-credentials-get", "rewriter", "run-ad-auction", "screen-wake-lock", "serial",
        "shared-storage", "shared-storage-select-url", "smart-card", "speaker-selection", "storage-access", "summarizer", "sync-xhr",
        "translator", "unload", "usb", "vertical-scroll", "web-printing", "web-share", "window-management", "writer", "xr-spatial-tracking",
    };

    /// <summary>Features that were removed from browsers.</summary>
    public static readonly IReadOnlySet<string> ObsoleteFeatures = new HashSet<string>(StringComparer.Ordinal) { "interest-cohort", "document-domain" };

    /// <summary>
    /// Parses a value: a structured-field dictionary (RFC 8941 §3.2) whose members are <c>*</c>, <c>self</c>, an
    /// origin string, or an inner list of those (Permissions Policy §5.2 "Parse policy directive"). A syntax error
    /// makes browsers ignore the whole header.
    /// </summary>
    public static HeaderParseResult<PermissionsPolicyValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var dictionary = SfParser.ParseDictionary(value);
        if (!dictionary.Success)
        {
            return HeaderParseResult<PermissionsPolicyValue>.Invalid("permissions-policy-syntax", $"The value is not a structured-field dictionary: {dictionary.Error}",
                "Write features as name=(allowlist), e.g. camera=(), geolocation=(self \"https://maps.example.com\").");
        }

        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        var features = ImmutableArray.CreateBuilder<KeyValuePair<string, PermissionsAllowlist>>();
        foreach (var (feature, member) in dictionary.Value)
        {
            if (!KnownFeatures.Contains(feature) && !feature.StartsWith("ch-", StringComparison.Ordinal))
            {
                diagnostics.Add(new("permissions-policy-unknown-feature", $"{feature} is not a known feature; browsers ignore it.", IsError: false));
            }

            var items = member.IsInnerList ? member.InnerList : [member.Item!];
            bool all = false, self = false;
            var origins = ImmutableArray.CreateBuilder<string>();
            foreach (var item in items)
            {
                if (item.Value.IsToken("*"))
                {
                    all = true;
                }
                else if (item.Value.IsToken("self"))
                {
                    self = true;
                }
                else if (item.Value.Kind == SfKind.String && TryOrigin(item.Value.AsString!, out var origin))
                {
                    origins.Add(origin);
                }
                else
                {
                    diagnostics.Add(new("permissions-policy-invalid-allowlist", $"{item.Value} in {feature} is not *, self or a quoted origin; browsers ignore it.",
                        "Use self, * or an origin in double quotes."));
                }
            }

            features.Add(new(feature, new PermissionsAllowlist(all, self, origins.ToImmutable())));
        }

        return new(new PermissionsPolicyValue(features.ToImmutable()), diagnostics.ToImmutable());
    }

    /// <summary>Turns a configured allowlist (<c>self</c>, <c>*</c>, origins; empty for none) into the model, reporting mistakes.</summary>
    internal static PermissionsAllowlist? ParseAllowlist(IReadOnlyList<string> items, string path, ConfigurationProblems problems)
    {
        bool all = false, self = false, ok = true;
        var origins = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in items)
        {
            var item = raw?.Trim() ?? string.Empty;
            switch (item)
            {
                case "*":
                    all = true;
                    break;
                case "self":
                    self = true;
                    break;
                case "'self'" or "\"self\"":
                    problems.Error(path, $"{item} is CSP syntax; Permissions-Policy writes the keyword without quotes.", "Write self.");
                    ok = false;
                    break;
                case "none" or "'none'" or "()":
                    problems.Error(path, $"{item} is not an allowlist item; an empty allowlist means none.", "Use an empty list [] to turn the feature off.");
                    ok = false;
                    break;
                case "src":
                    problems.Error(path, "src only has a meaning in an iframe's allow attribute, not in the header.", "Use self or an origin.");
                    ok = false;
                    break;
                default:
                    if (TryOrigin(item.Trim('"'), out var origin))
                    {
                        origins.Add(origin);
                    }
                    else
                    {
                        problems.Error(path, $"\"{item}\" is not self, * or an origin such as https://example.com.", "Give a scheme and host, without a path.");
                        ok = false;
                    }

                    break;
            }
        }

        if (all && (self || origins.Count > 0))
        {
            problems.Warning(path, "* already allows every origin; the other items are redundant.", "Keep * alone, or remove it.");
        }

        return ok ? new PermissionsAllowlist(all, self, origins.ToImmutable()) : null;
    }

    private static bool TryOrigin(string text, out string origin)
    {
        origin = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "wss" or "ws")
            || (uri.AbsolutePath != "/" || text.EndsWith('/') && text.Count(c => c == '/') > 2) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return false;
        }

        origin = uri.GetLeftPart(UriPartial.Authority);
        return true;
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new OptionsHeaderDescription<PermissionsPolicyOptions>(
        Name, "PermissionsPolicy",
        "Which powerful browser features the page and its frames may use. Default: camera, microphone, geolocation, payment and other powerful features off; fullscreen, clipboard-write, passkeys and sync-xhr for the site itself.",
        static () => new PermissionsPolicyOptions(), static o => o.Clone(),
        static () => new SettingGroup<PermissionsPolicyOptions>(static () => new PermissionsPolicyOptions())
            .Bool("Enabled", "Whether the header is sent.", static o => o.Enabled, static (o, v) => o.Enabled = v)
            .Bool("AllowUnknownFeatures", "Accept feature names this version does not know (features newer than the library); otherwise a typo stops startup.", static o => o.AllowUnknownFeatures, static (o, v) => o.AllowUnknownFeatures = v)
            .Add(new FeaturesSetting()),
        HeaderShortcuts.HeaderValue<PermissionsPolicyOptions, PermissionsPolicyValue>(static (o, v) => o.Enabled = v, Parse, static (o, value) =>
        {
            o.Features.Clear();
            foreach (var (feature, allowlist) in value.Features)
            {
                o.Features[feature] = allowlist.All ? ["*"] : [.. (allowlist.Self ? new[] { "self" } : []), .. allowlist.Origins];
            }
        }),
        [(SettingKind.String, "the header value, e.g. camera=(), geolocation=(self)"), (SettingKind.Boolean, "false switches it off")],
        static (options, path, problems, _) => options.Compile(path, problems) is { } value ? new HeaderField(Name, value) : null);

    /// <summary>Features by name: a list of <c>self</c>, <c>*</c> or origins; <c>[]</c> switches a feature off everywhere, <c>null</c> drops it from the header.</summary>
    private sealed class FeaturesSetting() : Setting("Features", SettingKind.Map,
        "Features by name, each an allowlist: [] (off everywhere), [\"self\"], [\"*\"] or origins such as [\"self\", \"https://maps.example.com\"]. null drops a feature from the header (its browser default applies).")
    {
        public override IReadOnlyList<Setting> Children { get; } = [new AllowlistValue()];

        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            var options = (PermissionsPolicyOptions)owner;
            if (node.Shape == ConfigNodeShape.Null)
            {
                options.Features.Clear();
                return;
            }

            if (node.Shape != ConfigNodeShape.Composite || node.IsList)
            {
                context.WrongShape(node, this);
                return;
            }

            foreach (var child in node.Children())
            {
                if (context.ReportAmbiguity(child))
                {
                    continue;
                }

                if (child.Shape == ConfigNodeShape.Null)
                {
                    options.Features.Remove(child.Key);
                }
                else if (ListSetting<PermissionsPolicyOptions>.ReadList(child, Children[0], context, splitWhitespace: true, out var items))
                {
                    options.Features[child.Key] = [.. items ?? []];
                }
            }
        }
    }

    private sealed class AllowlistValue() : Setting("*", SettingKind.StringList, "The allowlist: self, * or origins; [] for none.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context) => throw new NotSupportedException();
    }
}
