namespace SecureHeaders.Configuration;

/// <summary>The JSON shape a setting takes in configuration.</summary>
internal enum SettingKind
{
    /// <summary>A string.</summary>
    String,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A number.</summary>
    Number,

    /// <summary>A duration written <c>d.hh:mm:ss</c>.</summary>
    Duration,

    /// <summary>A list of strings.</summary>
    StringList,

    /// <summary>An object with the settings in <see cref="Setting.Children"/>.</summary>
    Object,

    /// <summary>An object whose keys the user chooses (names of policies, cookies, headers…), each holding <see cref="Setting.Children"/>[0].</summary>
    Map,
}

/// <summary>
/// The description of one configuration key: its name, shape, default and a line of documentation. Binding,
/// validation messages, the configuration schema shipped in the package and the settings table in the docs are all
/// produced from these descriptions, so they cannot disagree.
/// </summary>
internal abstract class Setting
{
    private protected Setting(string key, SettingKind kind, string summary)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Key = key;
        Kind = kind;
        Summary = summary;
    }

    /// <summary>The configuration key, e.g. <c>MaxAge</c>.</summary>
    public string Key { get; }

    /// <summary>The JSON shape.</summary>
    public SettingKind Kind { get; }

    /// <summary>One or two sentences for the docs and the editor's tooltip.</summary>
    public string Summary { get; }

    /// <summary>The default, as the docs show it; <see langword="null"/> when there is none.</summary>
    public string? Default { get; internal set; }

    /// <summary>The values a string setting takes, for the schema's <c>enum</c> and did-you-mean; empty when free.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>
    /// Other shapes the key also accepts, each with what it means: for example a boolean for an object that has
    /// <c>Enabled</c>, or a whole header value as one string. Shown in the docs and allowed by the schema.
    /// </summary>
    public IReadOnlyList<(SettingKind Kind, string Meaning)> Shortcuts { get; init; } = [];

    /// <summary>Whether the settings table lists the children again under this key (false for named policies, which take every policy setting).</summary>
    public bool ChildrenInTable { get; init; } = true;

    /// <summary>The settings inside an object, or the one value setting of a map.</summary>
    public virtual IReadOnlyList<Setting> Children => [];

    /// <summary>Binds <paramref name="node"/> onto <paramref name="owner"/>, the object that holds this setting.</summary>
    internal abstract void Bind(ConfigNode node, object owner, BindContext context);
}

/// <summary>The state of one binding pass: where problems go.</summary>
internal sealed class BindContext(ConfigurationProblems problems)
{
    public ConfigurationProblems Problems { get; } = problems;

    public void Error(ConfigNode node, string message, string? fix) => Problems.Error(node.Path, message, fix);

    /// <summary>Reports a value whose JSON shape is not what the setting takes.</summary>
    public void WrongShape(ConfigNode node, Setting setting)
    {
        var found = node.Shape switch
        {
            ConfigNodeShape.Composite => node.IsList ? "a list" : "an object",
            ConfigNodeShape.Null => "null",
            _ => $"the value \"{Printable(node.Value)}\"",
        };
        Problems.Error(node.Path, $"{setting.Key} takes {Describe(setting)}, but the configuration gives it {found}; it would be ignored.", FixFor(setting));
    }

    /// <summary>Reports a key that no setting has, with the closest known key.</summary>
    public void Unknown(ConfigNode node, IEnumerable<string> known)
    {
        var knownList = known.ToList();
        var guess = Internal.DidYouMean.Closest(node.Key, knownList);
        Problems.Error(node.Path, $"\"{node.Key}\" is not a SecureHeaders setting; it would be ignored.",
            guess is not null ? $"Did you mean {guess}?" : knownList.Count == 0 ? "Remove it." : "Known settings here: " + string.Join(", ", knownList) + ".");
    }

    /// <summary>True, after reporting, when one source gives the key both a value and children.</summary>
    public bool ReportAmbiguity(ConfigNode node)
    {
        if (!node.IsAmbiguous)
        {
            return false;
        }

        Problems.Error(node.Path, $"{node.Key} is given both a value and a list or object by the same configuration source (for example the environment variables {node.Key} and {node.Key}__0), so what was meant is unclear.",
            "Set either the value or the list, not both.");
        return true;
    }

    internal static string Describe(Setting setting) => setting.Kind switch
    {
        SettingKind.String when setting.AllowedValues.Count > 0 => "one of " + string.Join(", ", setting.AllowedValues),
        SettingKind.String => "a string",
        SettingKind.Boolean => "true or false",
        SettingKind.Integer => "a whole number",
        SettingKind.Number => "a number",
        SettingKind.Duration => "a duration (d.hh:mm:ss)",
        SettingKind.StringList => "a list of strings",
        SettingKind.Object => "an object",
        _ => "an object of named entries",
    } + string.Concat(setting.Shortcuts.Select(static s => " or " + KindName(s.Kind)));

    private static string KindName(SettingKind kind) => kind switch
    {
        SettingKind.String => "a string",
        SettingKind.Boolean => "true/false",
        SettingKind.StringList => "a list",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string FixFor(Setting setting) => setting.Kind switch
    {
        SettingKind.Object or SettingKind.Map when setting.Children.Count > 0 =>
            $"Write {setting.Key} as an object" + (setting.Kind == SettingKind.Object ? " with " + string.Join(", ", setting.Children.Select(static c => c.Key)) : string.Empty)
            + (setting.Shortcuts.Count > 0 ? ", or as " + string.Join(" or ", setting.Shortcuts.Select(static s => KindName(s.Kind) + " (" + s.Meaning + ")")) : string.Empty) + ".",
        SettingKind.StringList => $"Write {setting.Key} as a JSON list, e.g. [\"a\", \"b\"].",
        _ => $"Write {setting.Key} as {Describe(setting)}" + (setting.Default is null ? "." : $", e.g. {setting.Default}."),
    };

    internal static string Printable(string? value) => value is null ? string.Empty : Internal.Printable.Escape(value.Length > 200 ? value[..200] + "…" : value);
}
