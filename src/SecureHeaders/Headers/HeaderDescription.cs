using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>A header name and its precomputed value.</summary>
/// <remarks>
/// A class rather than a struct: the collections of header fields built at startup then run the framework's shared,
/// precompiled generic code instead of being JIT-compiled for this type (issue 13, startup cost).
/// </remarks>
/// <param name="Name">The header name.</param>
/// <param name="Value">The value, validated at startup.</param>
internal sealed record HeaderField(string Name, string Value);

/// <summary>
/// Everything SecureHeaders knows about one header it sends: the name, the configuration key, the value model with
/// its default, how configuration binds it, how the value is validated and formatted, and a line of documentation.
/// Each header file declares one and <see cref="HeaderRegistry"/> lists them; configuration binding, validation,
/// compilation, the configuration schema, the settings table in the docs and the <c>option</c> that scanner findings
/// name all read it.
/// </summary>
public abstract class HeaderDescription
{
    private protected HeaderDescription(string name, string key, string summary)
    {
        Name = name;
        Key = key;
        Summary = summary;
    }

    /// <summary>The header name, e.g. <c>X-Frame-Options</c>.</summary>
    public string Name { get; }

    /// <summary>The configuration key under <c>SecureHeaders</c> (and under each named policy), e.g. <c>XFrameOptions</c>.</summary>
    public string Key { get; }

    /// <summary>The configuration path of the default policy's setting, e.g. <c>SecureHeaders:XFrameOptions</c>.</summary>
    public string ConfigurationPath => ConfigurationPaths.Root + ":" + Key;

    /// <summary>The configuration path of one of the header's own settings, e.g. <c>SecureHeaders:StrictTransportSecurity:MaxAge</c>.</summary>
    /// <param name="key">A key among the header's settings.</param>
    /// <exception cref="ArgumentException">The header has no such setting.</exception>
    public string PathOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var setting = Setting.Children.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.Ordinal))
            ?? throw new ArgumentException($"{Name} has no setting {key}.", nameof(key));
        return ConfigurationPath + ":" + setting.Key;
    }

    /// <summary>What the header does and why the default is what it is, in a sentence or two.</summary>
    public string Summary { get; }

    /// <summary>Other header names this description governs (a report-only variant), which custom headers may not set either.</summary>
    public IReadOnlyList<string> AlsoGoverns { get; init; } = [];

    /// <summary>The position in a policy's value store, assigned by <see cref="HeaderRegistry"/>.</summary>
    internal int Slot { get; set; } = -1;

    /// <summary>How configuration binds the value (the owner is a <see cref="HeaderSlot"/>).</summary>
    internal abstract Setting Setting { get; }

    /// <summary>A fresh default value.</summary>
    internal abstract object? CreateDefault();

    /// <summary>A deep copy, so that a named policy can change its copy.</summary>
    internal abstract object? CloneValue(object? value);

    /// <summary>
    /// Validates the value and returns the field to send, or <see langword="null"/> when the header is off or invalid
    /// (problems are reported at <paramref name="path"/>). Content-Security-Policy and Strict-Transport-Security are
    /// compiled by the policy compiler itself (templates, HTTPS only) and return <see langword="null"/> here.
    /// </summary>
    internal abstract HeaderField? Compile(object? value, string path, ConfigurationProblems problems, HeaderCompileContext context);
}

/// <summary>What compiling one header may need to know about the rest of its policy.</summary>
/// <param name="DeclaredEndpoints">The endpoint names <c>Reporting-Endpoints</c> declares.</param>
internal sealed record HeaderCompileContext(IReadOnlySet<string> DeclaredEndpoints);

/// <summary>The value of one header in a policy while configuration is bound onto it.</summary>
internal sealed class HeaderSlot(object? value)
{
    public object? Value { get; set; } = value;
}

/// <summary>A header whose value is a string checked by the header's parser (X-Frame-Options, Referrer-Policy, COOP…).</summary>
/// <typeparam name="TModel">The parsed value model.</typeparam>
internal sealed class StringHeaderDescription<TModel> : HeaderDescription
    where TModel : class
{
    private readonly Func<string, HeaderParseResult<TModel>> _parse;
    private readonly Lazy<Setting> _setting;

    /// <param name="name">The header name.</param>
    /// <param name="key">The configuration key.</param>
    /// <param name="summary">The docs line.</param>
    /// <param name="default">The default value; <see langword="null"/> when not sent by default.</param>
    /// <param name="parse">The header's parser, the one every flow uses.</param>
    /// <param name="allowed">The values the schema offers (empty for free text).</param>
    /// <param name="listJoiner">When set, a JSON list is accepted and joined with it (Referrer-Policy's fallback list).</param>
    public StringHeaderDescription(string name, string key, string summary, string? @default, Func<string, HeaderParseResult<TModel>> parse,
        IReadOnlyList<string>? allowed = null, string? listJoiner = null)
        : base(name, key, summary)
    {
        _parse = parse;
        DefaultValue = @default;

        // Only binding a configuration section (and the docs) need the setting: built on first use.
        _setting = new Lazy<Setting>(() => new StringHeaderSetting(this, key, summary, listJoiner)
        {
            Default = @default ?? "not sent",
            AllowedValues = allowed ?? [],
            Shortcuts = [(SettingKind.Boolean, "false or null switches the header off; true sends the default"), .. listJoiner is null ? Array.Empty<(SettingKind, string)>() : [(SettingKind.StringList, "a fallback list, sent comma-separated")]],
        });
    }

    public string? DefaultValue { get; }

    internal override Setting Setting => _setting.Value;

    internal override object? CreateDefault() => DefaultValue;

    internal override object? CloneValue(object? value) => value;

    internal override HeaderField? Compile(object? value, string path, ConfigurationProblems problems, HeaderCompileContext context) =>
        HeaderCompiler.Compile(value as string, path, problems, _parse, static v => v.ToString()!) is { } text ? new HeaderField(Name, text) : null;

    /// <summary>
    /// Binds a string header. <c>false</c>, <c>null</c> and <c>""</c> switch it off, <c>true</c> restores the default;
    /// an object is a mistake (the header takes one value), reported instead of silently dropping the header.
    /// </summary>
    private sealed class StringHeaderSetting(StringHeaderDescription<TModel> header, string key, string summary, string? listJoiner)
        : Setting(key, SettingKind.String, summary)
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            var slot = (HeaderSlot)owner;
            if (context.ReportAmbiguity(node))
            {
                return;
            }

            switch (node.Shape)
            {
                case ConfigNodeShape.Null:
                    slot.Value = null;
                    break;
                case ConfigNodeShape.Scalar:
                    var view = new ConfigNodeView(node.Path, node.Value);
                    slot.Value = view.IsFalse ? null : view.IsTrue ? header.DefaultValue : node.Value;
                    break;
                case ConfigNodeShape.Composite when node.IsList && listJoiner is not null:
                    var items = new List<string>();
                    foreach (var child in node.Children())
                    {
                        if (child.Shape != ConfigNodeShape.Scalar)
                        {
                            context.Error(child, $"Each item of {Key} is a string.", "Write the item as a string.");
                            return;
                        }

                        items.Add(child.Value!);
                    }

                    slot.Value = string.Join(listJoiner, items);
                    break;
                default:
                    context.Problems.Error(node.Path,
                        $"{header.Name} takes one value{(AllowedValues.Count > 0 ? " (" + string.Join(", ", AllowedValues) + ")" : string.Empty)}, but the configuration gives {Key} {(node.IsList ? "a list" : "an object")}; the header would be dropped.",
                        $"Write it as a string, e.g. \"{Key}\": \"{header.DefaultValue ?? (AllowedValues.Count > 0 ? AllowedValues[0] : "…")}\", or false to switch the header off.");
                    break;
            }
        }
    }
}

/// <summary>
/// A header configured through an options object (Content-Security-Policy, HSTS, Permissions-Policy…). Besides the
/// object, configuration may give <c>true</c>/<c>false</c> (switch it on or off) or the header value itself as a
/// string, parsed by the header's own parser.
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class OptionsHeaderDescription<TOptions> : HeaderDescription
    where TOptions : class
{
    private readonly Func<TOptions> _create;
    private readonly Func<TOptions, TOptions> _clone;
    private readonly Func<TOptions, string, ConfigurationProblems, HeaderCompileContext, HeaderField?>? _compile;
    private readonly Lazy<Binding> _binding;

    /// <param name="name">The header name.</param>
    /// <param name="key">The configuration key.</param>
    /// <param name="summary">The docs line.</param>
    /// <param name="create">A fresh default value.</param>
    /// <param name="clone">A deep copy.</param>
    /// <param name="settings">
    /// Builds the settings of the options object. Only binding a configuration section (and the docs) need them, so
    /// they are built on first use, not when the application starts with no section.
    /// </param>
    /// <param name="shortcut">What a scalar in place of the object means.</param>
    /// <param name="shortcuts">The shortcuts, for the docs.</param>
    /// <param name="compile">Validates and formats the value.</param>
    /// <param name="afterBind">A step after the object is bound, with the keys the configuration gave it.</param>
    public OptionsHeaderDescription(string name, string key, string summary, Func<TOptions> create, Func<TOptions, TOptions> clone,
        Func<SettingGroup<TOptions>> settings, ObjectShortcut<TOptions> shortcut, IReadOnlyList<(SettingKind Kind, string Meaning)> shortcuts,
        Func<TOptions, string, ConfigurationProblems, HeaderCompileContext, HeaderField?>? compile,
        Action<IReadOnlyCollection<string>, TOptions>? afterBind = null)
        : base(name, key, summary)
    {
        _create = create;
        _clone = clone;
        _compile = compile;
        _binding = new Lazy<Binding>(() =>
        {
            var options = settings();
            var group = new SettingGroup<HeaderSlot>();
            group.Object(key, summary, static slot => (TOptions)slot.Value!, options, shortcut, shortcuts);
            return new Binding(options, afterBind is null ? group.Settings[0] : new AfterBindSetting(group.Settings[0], afterBind));
        });
    }

    /// <summary>The settings of the options object and the setting that binds the slot.</summary>
    private sealed record Binding(SettingGroup<TOptions> Settings, Setting Setting);

    /// <summary>Runs a step after the object is bound, with the keys the configuration gave it.</summary>
    private sealed class AfterBindSetting : Setting
    {
        private readonly Setting _inner;
        private readonly Action<IReadOnlyCollection<string>, TOptions> _afterBind;

        public AfterBindSetting(Setting inner, Action<IReadOnlyCollection<string>, TOptions> afterBind)
            : base(inner.Key, inner.Kind, inner.Summary)
        {
            _inner = inner;
            _afterBind = afterBind;
            Shortcuts = inner.Shortcuts;
        }

        public override IReadOnlyList<Setting> Children => _inner.Children;

        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            _inner.Bind(node, owner, context);
            if (node.Shape == ConfigNodeShape.Composite && !node.IsList && ((HeaderSlot)owner).Value is TOptions options)
            {
                _afterBind(node.Children().Select(static c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase), options);
            }
        }
    }

    /// <summary>The settings of the options object.</summary>
    public SettingGroup<TOptions> Settings => _binding.Value.Settings;

    internal override Setting Setting => _binding.Value.Setting;

    internal override object? CreateDefault() => _create();

    internal override object? CloneValue(object? value) => value is null ? null : _clone((TOptions)value);

    internal override HeaderField? Compile(object? value, string path, ConfigurationProblems problems, HeaderCompileContext context) =>
        _compile is null || value is null ? null : _compile((TOptions)value, path, problems, context);
}

/// <summary>The shortcut every options header shares: a boolean switches it, a string is its own header value.</summary>
internal static class HeaderShortcuts
{
    /// <summary>
    /// <c>true</c>/<c>false</c>/<c>null</c> switch a header on or off; any other string is the header value itself,
    /// parsed by the header's own parser and applied to the options (its diagnostics reported at the key's path).
    /// </summary>
    public static ObjectShortcut<T> HeaderValue<T, TModel>(Action<T, bool> setEnabled, Func<string, HeaderParseResult<TModel>> parse, Action<T, TModel> apply)
        where T : class
        where TModel : class =>
        (node, target, problems) =>
        {
            if (node.Value is null || node.IsFalse || node.IsTrue)
            {
                setEnabled(target, node.IsTrue);
                return true;
            }

            var parsed = parse(node.Value);
            HeaderCompiler.Report(parsed.Diagnostics, node.Path, problems);
            if (parsed.Value is { } value)
            {
                setEnabled(target, true);
                apply(target, value);
            }

            return true;
        };
}
