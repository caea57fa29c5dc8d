using System.Globalization;

namespace SecureHeaders.Configuration;

/// <summary>
/// The settings of one options type <typeparamref name="T"/>, in the order they are bound: a setting that changes
/// what the others mean (a preset, <c>UseDefaults</c>) is declared first and so applies first, whatever order the
/// configuration file uses.
/// </summary>
/// <typeparam name="T">The options type the settings are bound onto.</typeparam>
internal sealed class SettingGroup<T>
    where T : class
{
    private readonly List<Setting> _settings = [];
    private readonly Func<T>? _defaults;

    /// <summary>Creates a group; <paramref name="defaults"/> creates an instance whose values the docs show as defaults.</summary>
    public SettingGroup(Func<T>? defaults = null) => _defaults = defaults;

    /// <summary>The settings, in binding order.</summary>
    public IReadOnlyList<Setting> Settings => _settings;

    /// <summary>Adds a string setting. JSON <c>null</c> sets <see langword="null"/>.</summary>
    public SettingGroup<T> String(string key, string summary, Func<T, string?> get, Action<T, string?> set, IReadOnlyList<string>? allowed = null) =>
        Add(new ScalarSetting<T, string?>(key, SettingKind.String, summary, set, static (node, _, _) => (true, node.Value), allowsNull: true)
        {
            AllowedValues = allowed ?? [],
        }, DefaultOf(get, static v => v));

    /// <summary>Adds a boolean setting.</summary>
    public SettingGroup<T> Bool(string key, string summary, Func<T, bool> get, Action<T, bool> set) =>
        Add(new ScalarSetting<T, bool>(key, SettingKind.Boolean, summary, set, ParseBool), DefaultOf(get, static v => v ? "true" : "false"));

    /// <summary>Adds a whole-number setting with an inclusive range.</summary>
    public SettingGroup<T> Int(string key, string summary, Func<T, int> get, Action<T, int> set, int min, int max) =>
        Add(new ScalarSetting<T, int>(key, SettingKind.Integer, summary, set, (node, setting, context) => ParseInt(node, setting, context, min, max)),
            DefaultOf(get, static v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Adds an optional whole-number setting; JSON <c>null</c> clears it.</summary>
    public SettingGroup<T> OptionalInt(string key, string summary, Action<T, int?> set, string? @default, int min, int max) =>
        Add(new ScalarSetting<T, int?>(key, SettingKind.Integer, summary, set, (node, setting, context) =>
        {
            var (ok, value) = ParseInt(node, setting, context, min, max);
            return (ok, ok ? value : null);
        }, allowsNull: true) { Default = @default });

    /// <summary>Adds a number setting with an inclusive range.</summary>
    public SettingGroup<T> Number(string key, string summary, Func<T, double> get, Action<T, double> set, double min, double max) =>
        Add(new ScalarSetting<T, double>(key, SettingKind.Number, summary, set, (node, setting, context) =>
        {
            if (double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            {
                if (value >= min && value <= max)
                {
                    return (true, value);
                }

                context.Error(node, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range.", $"Use a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
                return (false, 0);
            }

            context.Error(node, $"\"{BindContext.Printable(node.Value)}\" is not a number.", $"Use a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.");
            return (false, 0);
        }), DefaultOf(get, static v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Adds a duration setting, written <c>d.hh:mm:ss</c>. A bare number is refused: <see cref="TimeSpan"/> would
    /// read <c>31536000</c> as that many days.
    /// </summary>
    public SettingGroup<T> Duration(string key, string summary, Func<T, TimeSpan> get, Action<T, TimeSpan> set) =>
        Add(new ScalarSetting<T, TimeSpan>(key, SettingKind.Duration, summary, set, ParseDuration), DefaultOf(get, static v => v.ToString("c", CultureInfo.InvariantCulture)));

    /// <summary>Adds a setting whose value is one name of <typeparamref name="TEnum"/> (ignoring case; numbers are refused).</summary>
    public SettingGroup<T> Enum<TEnum>(string key, string summary, Func<T, TEnum> get, Action<T, TEnum> set)
        where TEnum : struct, System.Enum =>
        Add(new ScalarSetting<T, TEnum>(key, SettingKind.String, summary, set, static (node, setting, context) =>
        {
            var text = node.Value!.Trim();
            if (text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] != '-' && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value))
            {
                return (true, value);
            }

            var guess = Internal.DidYouMean.Closest(text, setting.AllowedValues);
            context.Error(node, $"\"{BindContext.Printable(node.Value)}\" is not one of {string.Join(", ", setting.AllowedValues)}.", guess is null ? $"Use one of {string.Join(", ", setting.AllowedValues)}." : $"Did you mean {guess}?");
            return (false, default);
        })
        {
            AllowedValues = System.Enum.GetNames<TEnum>(),
        }, DefaultOf(get, static v => v.ToString()));

    /// <summary>
    /// Adds a list of strings. A list given in configuration replaces the default (it is never merged by index);
    /// <c>[]</c> or <c>""</c> is the empty list; a single string is a list of one item (split at whitespace when
    /// <paramref name="splitWhitespace"/>); JSON <c>null</c> gives <see langword="null"/>, or the empty list with <paramref name="nullClears"/>.
    /// </summary>
    public SettingGroup<T> List(string key, string summary, Func<T, IEnumerable<string>?> get, Action<T, List<string>?> set, bool splitWhitespace = false, bool nullClears = false) =>
        Add(new ListSetting<T>(key, summary, set, splitWhitespace, nullClears), DefaultOf(get, static v => v is null ? null : "[" + string.Join(", ", v) + "]"));

    /// <summary>Adds a nested object bound in place.</summary>
    /// <param name="key">The key.</param>
    /// <param name="summary">The docs line.</param>
    /// <param name="get">The nested options instance (bound in place).</param>
    /// <param name="group">The nested settings.</param>
    /// <param name="shortcut">Handles a value that is not an object (a boolean, a string, <c>null</c>); returns false when it does not accept it.</param>
    /// <param name="shortcuts">The shortcuts <paramref name="shortcut"/> accepts, for docs and schema.</param>
    public SettingGroup<T> Object<TChild>(string key, string summary, Func<T, TChild> get, SettingGroup<TChild> group,
        ObjectShortcut<TChild>? shortcut = null, IReadOnlyList<(SettingKind Kind, string Meaning)>? shortcuts = null)
        where TChild : class =>
        Add(new ObjectSetting<T, TChild>(key, summary, get, group, shortcut) { Shortcuts = shortcuts ?? [] });

    /// <summary>
    /// Adds an object whose keys the user names (one entry per cookie, policy, header…), each bound with
    /// <paramref name="value"/>. Entries merge key by key with those already present; JSON <c>null</c> removes an entry.
    /// </summary>
    public SettingGroup<T> Map<TValue>(string key, string summary, Func<T, IDictionary<string, TValue>> get, Setting value) =>
        Add(new MapSetting<T, TValue>(key, summary, get, value));

    /// <summary>Adds an object of string values keyed by the user (e.g. header name → value); JSON <c>null</c> removes an entry.</summary>
    public SettingGroup<T> StringMap(string key, string summary, Func<T, IDictionary<string, string>> get, string entrySummary) =>
        Add(new MapSetting<T, string>(key, summary, get, new EntrySetting<string>("*", SettingKind.String, entrySummary, static (node, context) =>
        {
            if (node.Shape == ConfigNodeShape.Scalar)
            {
                return (true, node.Value!);
            }

            return (false, null!);
        })));

    /// <summary>Adds a setting described elsewhere (a header's own description).</summary>
    public SettingGroup<T> Add(Setting setting, string? computedDefault = null)
    {
        ArgumentNullException.ThrowIfNull(setting);
        setting.Default ??= computedDefault;
        if (_settings.Exists(s => string.Equals(s.Key, setting.Key, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"The setting {setting.Key} is described twice.");
        }

        _settings.Add(setting);
        return this;
    }

    private string? DefaultOf<TValue>(Func<T, TValue> get, Func<TValue, string?> format) => _defaults is null ? null : format(get(_defaults()));

    /// <summary>The setting with this key, ignoring case.</summary>
    public Setting? Find(string key) => _settings.Find(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>Binds an object node onto <paramref name="target"/>: every child to its setting, in the group's order; unknown keys are errors.</summary>
    internal void BindObject(ConfigNode node, T target, BindContext context)
    {
        var children = node.Children();
        foreach (var setting in _settings)
        {
            foreach (var child in children)
            {
                if (string.Equals(child.Key, setting.Key, StringComparison.OrdinalIgnoreCase))
                {
                    setting.Bind(child, target, context);
                }
            }
        }

        foreach (var child in children)
        {
            if (Find(child.Key) is null)
            {
                context.Unknown(child, _settings.Select(static s => s.Key));
            }
        }
    }

    private static (bool, bool) ParseBool(ConfigNode node, Setting setting, BindContext context)
    {
        if (bool.TryParse(node.Value!.Trim(), out var value))
        {
            return (true, value);
        }

        context.Error(node, $"\"{BindContext.Printable(node.Value)}\" is not true or false.", "Use true or false.");
        return (false, false);
    }

    private static (bool, int) ParseInt(ConfigNode node, Setting setting, BindContext context, int min, int max)
    {
        if (int.TryParse(node.Value!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return (true, value);
            }

            context.Error(node, $"{value} is out of range.", $"Use a whole number between {min} and {max}.");
            return (false, 0);
        }

        context.Error(node, $"\"{BindContext.Printable(node.Value)}\" is not a whole number.", $"Use a whole number between {min} and {max}" + (setting.Default is null ? "." : $", e.g. {setting.Default}."));
        return (false, 0);
    }

    private static (bool, TimeSpan) ParseDuration(ConfigNode node, Setting setting, BindContext context)
    {
        var text = node.Value!.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            context.Error(node, $"\"{text}\" is a bare number; {setting.Key} is a duration, and a bare number would be read as days.",
                seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds
                    ? $"Write it as a duration: {TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)} for {seconds} seconds."
                    : "Write it as a positive duration d.hh:mm:ss.");
            return (false, default);
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            return (true, value);
        }

        context.Error(node, $"\"{BindContext.Printable(node.Value)}\" is not a duration.", "Write d.hh:mm:ss, e.g. " + (setting.Default ?? "365.00:00:00") + ".");
        return (false, default);
    }
}

/// <summary>Handles a value given to an object setting that is not an object; returns false when it is not accepted.</summary>
/// <typeparam name="T">The options type.</typeparam>
/// <param name="node">The configuration value (a scalar or <c>null</c>).</param>
/// <param name="target">The options instance.</param>
/// <param name="problems">Where to report a problem with an accepted shape.</param>
internal delegate bool ObjectShortcut<in T>(ConfigNodeView node, T target, ConfigurationProblems problems);

/// <summary>Shortcuts shared by object settings.</summary>
internal static class ObjectShortcuts
{
    /// <summary><c>true</c> or <c>false</c> for an object with an <c>Enabled</c> switch; any other value is not accepted.</summary>
    public static ObjectShortcut<T> Enabled<T>(Action<T, bool> setEnabled)
        where T : class =>
        (node, target, _) =>
        {
            if (!node.IsTrue && !node.IsFalse)
            {
                return false;
            }

            setEnabled(target, node.IsTrue);
            return true;
        };
}

/// <summary>A configuration value as shortcuts and custom settings see it.</summary>
/// <param name="Path">The path as the user wrote it.</param>
/// <param name="Value">The scalar value, or <see langword="null"/> for JSON <c>null</c>.</param>
internal readonly record struct ConfigNodeView(string Path, string? Value)
{
    /// <summary>True for JSON <c>true</c> (or the string "true"), ignoring case.</summary>
    public bool IsTrue => string.Equals(Value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for JSON <c>false</c> (or the string "false"), ignoring case.</summary>
    public bool IsFalse => string.Equals(Value?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A scalar setting: string, boolean, number, duration or enum.</summary>
internal sealed class ScalarSetting<TOwner, TValue>(
    string key,
    SettingKind kind,
    string summary,
    Action<TOwner, TValue> set,
    Func<ConfigNode, Setting, BindContext, (bool Ok, TValue Value)> parse,
    bool allowsNull = false) : Setting(key, kind, summary)
    where TOwner : class
{
    internal override void Bind(ConfigNode node, object owner, BindContext context)
    {
        if (context.ReportAmbiguity(node))
        {
            return;
        }

        switch (node.Shape)
        {
            case ConfigNodeShape.Scalar:
                var (ok, value) = parse(node, this, context);
                if (ok)
                {
                    set((TOwner)owner, value);
                }

                break;
            case ConfigNodeShape.Null when allowsNull:
                set((TOwner)owner, default!);
                break;
            default:
                context.WrongShape(node, this);
                break;
        }
    }
}

/// <summary>A list of strings, replaced whole.</summary>
internal sealed class ListSetting<TOwner>(string key, string summary, Action<TOwner, List<string>?> set, bool splitWhitespace, bool nullClears)
    : Setting(key, SettingKind.StringList, summary)
    where TOwner : class
{
    internal override void Bind(ConfigNode node, object owner, BindContext context)
    {
        if (context.ReportAmbiguity(node))
        {
            return;
        }

        if (ReadList(node, this, context, splitWhitespace, out var items))
        {
            set((TOwner)owner, items is null && nullClears ? [] : items);
        }
    }

    /// <summary>Reads a list value: a JSON list of strings, one string, <c>[]</c> or <c>null</c>.</summary>
    internal static bool ReadList(ConfigNode node, Setting setting, BindContext context, bool splitWhitespace, out List<string>? items)
    {
        items = null;
        switch (node.Shape)
        {
            case ConfigNodeShape.Null:
                return true;
            case ConfigNodeShape.Scalar:
                items = Split(node.Value!, splitWhitespace);
                return true;
            case ConfigNodeShape.Composite when node.IsList:
                items = [];
                foreach (var child in node.Children())
                {
                    if (child.Shape == ConfigNodeShape.Scalar)
                    {
                        items.AddRange(Split(child.Value!, splitWhitespace));
                    }
                    else if (child.Shape == ConfigNodeShape.Composite)
                    {
                        context.Error(child, $"Each item of {setting.Key} is a string; this one is {(child.IsList ? "a list" : "an object")}.", "Write the item as a string.");
                        return false;
                    }
                }

                return true;
            default:
                context.WrongShape(node, setting);
                return false;
        }
    }

    private static List<string> Split(string value, bool splitWhitespace) =>
        splitWhitespace ? [.. value.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries)] : value.Length == 0 ? [] : [value];
}

/// <summary>A nested object bound in place.</summary>
internal sealed class ObjectSetting<TOwner, TChild>(string key, string summary, Func<TOwner, TChild> get, SettingGroup<TChild> group, ObjectShortcut<TChild>? shortcut)
    : Setting(key, SettingKind.Object, summary)
    where TOwner : class
    where TChild : class
{
    public override IReadOnlyList<Setting> Children => group.Settings;

    internal override void Bind(ConfigNode node, object owner, BindContext context)
    {
        if (context.ReportAmbiguity(node))
        {
            return;
        }

        var target = get((TOwner)owner);
        if (node.Shape == ConfigNodeShape.Composite && !node.IsList)
        {
            group.BindObject(node, target, context);
        }
        else if (node.Shape is ConfigNodeShape.Scalar or ConfigNodeShape.Null && shortcut is not null
            && shortcut(new ConfigNodeView(node.Path, node.Value), target, context.Problems))
        {
            // Handled by the shortcut.
        }
        else
        {
            context.WrongShape(node, this);
        }
    }
}

/// <summary>An object of user-named entries.</summary>
internal sealed class MapSetting<TOwner, TValue>(string key, string summary, Func<TOwner, IDictionary<string, TValue>> get, Setting value)
    : Setting(key, SettingKind.Map, summary)
    where TOwner : class
{
    public override IReadOnlyList<Setting> Children => [value];

    internal override void Bind(ConfigNode node, object owner, BindContext context)
    {
        if (context.ReportAmbiguity(node))
        {
            return;
        }

        var map = get((TOwner)owner);
        if (node.Shape == ConfigNodeShape.Null)
        {
            map.Clear();
            return;
        }

        if (node.Shape != ConfigNodeShape.Composite || node.IsList)
        {
            context.WrongShape(node, this);
            return;
        }

        foreach (var child in node.Children())
        {
            if (child.Shape == ConfigNodeShape.Null)
            {
                map.Remove(child.Key);
                continue;
            }

            var entry = new MapEntry<TValue>(map, child.Key);
            value.Bind(child, entry, context);
        }
    }
}

/// <summary>One entry of a map while it is bound: the value setting reads and replaces it.</summary>
internal sealed class MapEntry<TValue>(IDictionary<string, TValue> map, string key)
{
    public string Key { get; } = key;

    public bool TryGet(out TValue value) => map.TryGetValue(Key, out value!);

    public void Set(TValue value) => map[Key] = value;
}

/// <summary>The value of a map entry, parsed from its node.</summary>
internal sealed class EntrySetting<TValue>(string key, SettingKind kind, string summary, Func<ConfigNode, BindContext, (bool Ok, TValue Value)> parse)
    : Setting(key, kind, summary)
{
    internal override void Bind(ConfigNode node, object owner, BindContext context)
    {
        var (ok, value) = parse(node, context);
        if (ok)
        {
            ((MapEntry<TValue>)owner).Set(value);
        }
        else
        {
            context.WrongShape(node, this);
        }
    }
}

/// <summary>The value of a map entry that is an object bound onto a new or existing <typeparamref name="TValue"/>.</summary>
/// <typeparam name="TValue">The entry's options type.</typeparam>
internal sealed class MapObjectSetting<TValue> : Setting
    where TValue : class
{
    private readonly SettingGroup<TValue> _group;
    private readonly Func<TValue> _create;
    private readonly ObjectShortcut<TValue>? _shortcut;

    /// <summary>Describes the entries of a map as objects of <paramref name="group"/>.</summary>
    public MapObjectSetting(string summary, SettingGroup<TValue> group, Func<TValue> create, ObjectShortcut<TValue>? shortcut = null)
        : base("*", SettingKind.Object, summary)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(create);
        _group = group;
        _create = create;
        _shortcut = shortcut;
    }

    /// <inheritdoc />
    public override IReadOnlyList<Setting> Children => _group.Settings;

    internal override void Bind(ConfigNode node, object owner, BindContext context)
    {
        var entry = (MapEntry<TValue>)owner;
        var target = entry.TryGet(out var existing) && existing is not null ? existing : _create();
        if (node.Shape == ConfigNodeShape.Composite && !node.IsList)
        {
            _group.BindObject(node, target, context);
            entry.Set(target);
        }
        else if (node.Shape == ConfigNodeShape.Scalar && _shortcut is not null && _shortcut(new ConfigNodeView(node.Path, node.Value), target, context.Problems))
        {
            entry.Set(target);
        }
        else
        {
            context.WrongShape(node, this);
        }
    }
}
