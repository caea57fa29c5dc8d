using SecureHeaders.Configuration;
using SecureHeaders.Csp;

namespace SecureHeaders.Headers;

/// <summary>
/// <c>Content-Security-Policy</c> and <c>Content-Security-Policy-Report-Only</c> (CSP Level 3 §3.1, §3.2): the
/// enforced policy and a candidate trialled next to it. The model, parser and validation are in
/// <see cref="SecureHeaders.Csp"/>; this file says how configuration writes a policy.
/// </summary>
public static class ContentSecurityPolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Content-Security-Policy";

    /// <summary>The report-only header name.</summary>
    public const string ReportOnlyName = "Content-Security-Policy-Report-Only";

    /// <summary>How SecureHeaders configures, validates and documents the enforced policy.</summary>
    public static HeaderDescription Description { get; } = new OptionsHeaderDescription<ContentSecurityPolicyOptions>(
        Name, "ContentSecurityPolicy",
        "The enforced policy. 'nonce' in a directive is replaced by a fresh nonce on every response. Default: the Basic preset (OWASP's policy plus img-src data:).",
        ContentSecurityPolicyOptions.CreateDefault, static o => o.Clone(), static () => Settings(reportOnlyHeader: false), Shortcut,
        [(SettingKind.String, "the whole policy as one header value"), (SettingKind.Boolean, "false switches it off")],
        compile: null)
    {
        AlsoGoverns = [ReportOnlyName],
    };

    /// <summary>How SecureHeaders configures, validates and documents the report-only candidate.</summary>
    public static HeaderDescription ReportOnlyDescription { get; } = new OptionsHeaderDescription<ContentSecurityPolicyOptions>(
        ReportOnlyName, "ContentSecurityPolicyReportOnly",
        "A second policy sent as Content-Security-Policy-Report-Only next to the enforced one, to trial a stricter policy. Giving it a Policy, Preset(s) or Directives switches it on. Default: off.",
        static () => new ContentSecurityPolicyOptions { Enabled = false, ReportOnly = true }, static o => o.Clone(), static () => Settings(reportOnlyHeader: true), Shortcut,
        [(SettingKind.String, "the whole policy as one header value"), (SettingKind.Boolean, "false switches it off")],
        compile: null,
        afterBind: static (keys, options) =>
        {
            // A candidate given a policy is meant to be sent; only an explicit "Enabled": false keeps it off.
            if (!keys.Contains("Enabled") && (keys.Contains("Policy") || keys.Contains("Preset") || keys.Contains("Presets") || keys.Contains("Directives")))
            {
                options.Enabled = true;
            }
        });

    /// <summary>A string is the whole policy; <c>false</c> or <c>null</c> switches the policy off, <c>true</c> on.</summary>
    private static bool Shortcut(ConfigNodeView node, ContentSecurityPolicyOptions options, ConfigurationProblems problems)
    {
        if (node.Value is null || node.IsFalse)
        {
            options.Enabled = false;
        }
        else if (node.IsTrue)
        {
            options.Enabled = true;
        }
        else
        {
            options.Use(node.Value);
            options.Enabled = true;
        }

        return true;
    }

    private static SettingGroup<ContentSecurityPolicyOptions> Settings(bool reportOnlyHeader)
    {
        var group = new SettingGroup<ContentSecurityPolicyOptions>(reportOnlyHeader ? static () => new ContentSecurityPolicyOptions { Enabled = false, ReportOnly = true } : ContentSecurityPolicyOptions.CreateDefault);
        group.Bool("Enabled", "Whether the policy is sent.", static o => o.Enabled, static (o, v) => o.Enabled = v);
        if (!reportOnlyHeader)
        {
            group.Bool("ReportOnly", "Send this policy as Content-Security-Policy-Report-Only: browsers report violations but block nothing (CSP3 §3.2).", static o => o.ReportOnly, static (o, v) => o.ReportOnly = v);
        }

        // Order matters: these replace the policy, Directives then change it, whatever order the file uses.
        group.Add(new UseDefaultsSetting());
        group.Add(new PresetSetting("Preset", "A preset to start from: " + string.Join(", ", CspPresets.Names) + ". Replaces the defaults.", many: false) { AllowedValues = [.. CspPresets.Names] });
        group.Add(new PresetSetting("Presets", "Presets combined in order: a whole policy (Strict, Basic, StrictWithBasic, Api) replaces what came before, a fragment (BlazorWebApp, GoogleFonts…) is merged into it, a style mode (StyleAttributes, InlineStyles) replaces the style directives.", many: true));
        group.Add(new PolicySetting());
        group.Add(new DirectivesSetting());
        return group;
    }

    /// <summary>True, after reporting, when a sibling key also replaces the whole policy.</summary>
    private static bool Conflicts(ConfigNode node, BindContext context, string key, params string[] others)
    {
        foreach (var other in others)
        {
            if (node.Sibling(other).Exists)
            {
                context.Error(node, $"{key} and {node.Sibling(other).Key} both set the whole policy; one of them would be lost.",
                    "Use Presets for several presets, and Directives to change single directives on top.");
                return true;
            }
        }

        return false;
    }

    private sealed class UseDefaultsSetting() : Setting("UseDefaults", SettingKind.Boolean, "false starts from an empty policy instead of the defaults.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            if (node.Shape == ConfigNodeShape.Scalar && bool.TryParse(node.Value!.Trim(), out var value))
            {
                if (!value)
                {
                    ((ContentSecurityPolicyOptions)owner).Clear();
                }
            }
            else
            {
                context.WrongShape(node, this);
            }
        }
    }

    private sealed class PresetSetting(string key, string summary, bool many) : Setting(key, many ? SettingKind.StringList : SettingKind.String, summary)
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            if (!many && Conflicts(node, context, Key, "Presets", "Policy") || many && Conflicts(node, context, Key, "Policy"))
            {
                return;
            }

            if (!ListSetting<ContentSecurityPolicyOptions>.ReadList(node, this, context, splitWhitespace: false, out var names) || names is null)
            {
                if (node.Shape == ConfigNodeShape.Null)
                {
                    context.WrongShape(node, this);
                }

                return;
            }

            if (!many && names.Count != 1)
            {
                context.Error(node, "Preset takes one preset name.", "Use Presets for a list: \"Presets\": [\"StrictWithBasic\", \"GoogleFonts\"].");
                return;
            }

            var options = (ContentSecurityPolicyOptions)owner;
            var first = true;
            foreach (var name in names)
            {
                if (CspPresets.Find(name.Trim()) is not { } preset)
                {
                    var guess = Internal.DidYouMean.Closest(name.Trim(), CspPresets.Names);
                    context.Error(node, $"\"{BindContext.Printable(name)}\" is not a CSP preset.", (guess is null ? string.Empty : $"Did you mean {guess}? ") + "Presets: " + string.Join(", ", CspPresets.Names) + ".");
                    return;
                }

                if (!many || first && CspPresets.IsWholePolicy(name.Trim()))
                {
                    options.Use(preset);
                }
                else
                {
                    // Style modes and the API tool presets replace the directives they own (CspPresets.Layer).
                    options.Merge(preset);
                }

                first = false;
            }
        }
    }

    private sealed class PolicySetting() : Setting("Policy", SettingKind.String, "The whole policy as one header value, e.g. \"default-src 'self'; script-src 'self' 'nonce'\". Replaces the defaults; Directives still apply on top.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            if (node.Shape != ConfigNodeShape.Scalar || node.Value!.Trim().Length == 0)
            {
                context.WrongShape(node, this);
                return;
            }

            ((ContentSecurityPolicyOptions)owner).Use(node.Value);
        }
    }

    /// <summary>
    /// Directives as an object: name → sources (a list, or one string of space-separated sources). <c>null</c> or
    /// <c>false</c> removes a directive; <c>true</c>, <c>[]</c> or <c>""</c> gives a directive that takes no value
    /// (<c>upgrade-insecure-requests</c>).
    /// </summary>
    private sealed class DirectivesSetting() : Setting("Directives", SettingKind.Map,
        "Directives by name, each a list of sources (or one space-separated string). They replace the directive of the preset or defaults; null or false removes it; true adds a directive that takes no value (upgrade-insecure-requests).")
    {
        public override IReadOnlyList<Setting> Children { get; } = [new DirectiveValue()];

        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            var options = (ContentSecurityPolicyOptions)owner;
            if (node.Shape != ConfigNodeShape.Composite || node.IsList)
            {
                context.Problems.Error(node.Path, $"Directives takes an object of directives, but the configuration gives it {(node.IsList ? "a list" : node.Shape == ConfigNodeShape.Null ? "null" : "a string")}; it would be ignored.",
                    "Write \"Directives\": { \"script-src\": [\"'self'\"] }, or give a whole policy string as ContentSecurityPolicy:Policy.");
                return;
            }

            foreach (var child in node.Children())
            {
                if (context.ReportAmbiguity(child))
                {
                    continue;
                }

                var name = child.Key;
                var info = CspDirectives.Find(name);
                var takesNoValue = info is { ValueKind: CspValueKind.None };
                var view = new ConfigNodeView(child.Path, child.Value);
                if (child.Shape == ConfigNodeShape.Null || view.IsFalse)
                {
                    options.Remove(name);
                    continue;
                }

                if (view.IsTrue)
                {
                    if (takesNoValue || info is null)
                    {
                        options.Set(name);
                    }
                    else
                    {
                        context.Error(child, $"{name} takes a list of sources, not true.", $"Write \"{name}\": [\"'self'\"], or null to remove it.");
                    }

                    continue;
                }

                if (!ListSetting<ContentSecurityPolicyOptions>.ReadList(child, this, context, splitWhitespace: true, out var values))
                {
                    continue;
                }

                options.Set(name, [.. values ?? []]);
            }
        }
    }

    private sealed class DirectiveValue() : Setting("*", SettingKind.StringList, "Sources, e.g. [\"'self'\", \"https://cdn.example.com\"], or true for a directive without value.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context) => throw new NotSupportedException();
    }
}
