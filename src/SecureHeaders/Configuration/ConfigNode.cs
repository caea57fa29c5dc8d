using Microsoft.Extensions.Configuration;

namespace SecureHeaders.Configuration;

/// <summary>What a configuration key holds, as far as the merged configuration can tell.</summary>
internal enum ConfigNodeShape
{
    /// <summary>Not set anywhere.</summary>
    Missing,

    /// <summary>JSON <c>null</c> or an empty object <c>{}</c>.</summary>
    Null,

    /// <summary>A string, number or boolean (JSON <c>true</c> arrives as <c>True</c>); an empty array <c>[]</c> arrives as an empty string.</summary>
    Scalar,

    /// <summary>An object or a non-empty array: the key has children.</summary>
    Composite,
}

/// <summary>
/// One configuration key seen through every configuration provider, so that layered sources
/// (appsettings.json, appsettings.Production.json, environment variables) combine the way a user means them:
/// <list type="bullet">
/// <item>an object merges key by key with the objects of earlier sources;</item>
/// <item>a string, a number, a boolean, <c>null</c> or a list is taken whole from the last source that sets the key.</item>
/// </list>
/// <see cref="IConfiguration"/> alone merges lists by index (a shorter list over a longer one keeps the longer one's
/// tail) and lets a string and a list coexist under one key; both would silently mean something else.
/// </summary>
internal sealed class ConfigNode
{
    private readonly Layer[] _layers;
    private IReadOnlyList<ConfigNode>? _children;

    private ConfigNode(string path, string key, Layer[] layers, ConfigNode? parent = null)
    {
        Path = path;
        Key = key;
        _layers = layers;
        Parent = parent;
    }

    /// <summary>The object this key belongs to, when it was reached through <see cref="Children"/>.</summary>
    public ConfigNode? Parent { get; }

    /// <summary>The full path as the user wrote it, e.g. <c>SecureHeaders:ContentSecurityPolicy:Directives:script-src</c>.</summary>
    public string Path { get; }

    /// <summary>The last segment of <see cref="Path"/>, as the user wrote it.</summary>
    public string Key { get; }

    /// <summary>True when some source sets the key.</summary>
    public bool Exists => _layers.Length > 0;

    /// <summary>The shape of the key in the last source that sets it.</summary>
    public ConfigNodeShape Shape
    {
        get
        {
            if (_layers.Length == 0)
            {
                return ConfigNodeShape.Missing;
            }

            var last = _layers[^1];
            return last.ChildKeys.Length > 0 ? ConfigNodeShape.Composite : last.Value is null ? ConfigNodeShape.Null : ConfigNodeShape.Scalar;
        }
    }

    /// <summary>The scalar value of the last source that sets the key; <see langword="null"/> unless <see cref="Shape"/> is <see cref="ConfigNodeShape.Scalar"/>.</summary>
    public string? Value => Shape == ConfigNodeShape.Scalar ? _layers[^1].Value : null;

    /// <summary>
    /// True when one source gives the key both a value and children (e.g. the environment variables
    /// <c>X=a</c> and <c>X__0=b</c>): nothing says which was meant.
    /// </summary>
    public bool IsAmbiguous => _layers.Length > 0 && _layers[^1].ChildKeys.Length > 0 && _layers[^1].Value is { Length: > 0 };

    /// <summary>True when the children of the last source are the indexes 0, 1, 2… of a JSON array.</summary>
    public bool IsList
    {
        get
        {
            if (Shape != ConfigNodeShape.Composite)
            {
                return false;
            }

            var keys = _layers[^1].ChildKeys;
            for (var i = 0; i < keys.Length; i++)
            {
                if (!int.TryParse(keys[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Reads a section of <paramref name="configuration"/> through its providers when it has them.</summary>
    public static ConfigNode Read(IConfiguration configuration, string path)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var sources = Sources(configuration);
        var layers = new List<Layer>(sources.Count);
        string? written = null;
        foreach (var source in sources)
        {
            if (source.Read(path) is { } layer)
            {
                layers.Add(layer);
                written ??= layer.WrittenPath;
            }
        }

        written ??= path;
        return new ConfigNode(written, LastSegment(written), [.. layers]);
    }

    /// <summary>
    /// The children of an object, merged across sources: those of every source after the last one that set the key
    /// to something other than an object. Keys compare ignoring case, as configuration does; the spelling shown is the
    /// first one written.
    /// </summary>
    public IReadOnlyList<ConfigNode> Children() => _children ??= ReadChildren();

    private List<ConfigNode> ReadChildren()
    {
        if (Shape != ConfigNodeShape.Composite)
        {
            return [];
        }

        // A list is taken whole from the last source that sets it; an object merges with the objects before it.
        var start = _layers.Length - 1;
        while (!IsList && start > 0 && _layers[start - 1].ChildKeys.Length > 0)
        {
            start--;
        }

        var order = new List<string>();
        var byKey = new Dictionary<string, List<Layer>>(StringComparer.OrdinalIgnoreCase);
        for (var i = start; i < _layers.Length; i++)
        {
            var layer = _layers[i];
            foreach (var childKey in layer.ChildKeys)
            {
                if (layer.Source.Read(layer.RawPath + ConfigurationPath.KeyDelimiter + childKey) is not { } childLayer)
                {
                    continue;
                }

                if (!byKey.TryGetValue(childKey, out var list))
                {
                    byKey[childKey] = list = [];
                    order.Add(childKey);
                }

                list.Add(childLayer);
            }
        }

        if (IsList)
        {
            order.Sort(static (a, b) => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(int.Parse(b, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var result = new List<ConfigNode>(order.Count);
        foreach (var childKey in order)
        {
            var childLayers = byKey[childKey];
            var written = Path + ConfigurationPath.KeyDelimiter + childKey;
            result.Add(new ConfigNode(written, childKey, [.. childLayers], this));
        }

        return result;
    }

    /// <summary>A child by key (ignoring case), or a missing node.</summary>
    public ConfigNode Child(string key)
    {
        foreach (var child in Children())
        {
            if (string.Equals(child.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return child;
            }
        }

        return new ConfigNode(Path + ConfigurationPath.KeyDelimiter + key, key, []);
    }

    /// <summary>Another key of the same object (missing when there is none).</summary>
    public ConfigNode Sibling(string key) =>
        Parent?.Child(key) ?? new ConfigNode(Path[..(Path.Length - Key.Length)] + key, key, []);

    /// <summary>A node that holds one scalar value, for settings written in code-like form (tests, shortcuts).</summary>
    internal static ConfigNode FromValue(string path, string? value) =>
        new(path, LastSegment(path), [new Layer(NullSource.Instance, path, path, value, [])]);

    private static string LastSegment(string path)
    {
        var index = path.LastIndexOf(':');
        return index < 0 ? path : path[(index + 1)..];
    }

    private static List<Source> Sources(IConfiguration configuration)
    {
        // A section of a configuration root: read the root's providers at the section's path.
        if (configuration is IConfigurationRoot root)
        {
            return [.. root.Providers.Select(static p => (Source)new ProviderSource(p))];
        }

        return [new MergedSource(configuration)];
    }

    // A class, not a struct: lists of it then share the framework's precompiled generic code instead of being JIT-compiled at startup.
    private sealed record Layer(Source Source, string RawPath, string WrittenPath, string? Value, string[] ChildKeys);

    private abstract class Source
    {
        public abstract Layer? Read(string path);
    }

    /// <summary>One configuration provider: its own value and children at a path.</summary>
    private sealed class ProviderSource(IConfigurationProvider provider) : Source
    {
        public override Layer? Read(string path)
        {
            var hasValue = provider.TryGet(path, out var value);
            var children = provider.GetChildKeys([], path).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (!hasValue && children.Length == 0)
            {
                return null;
            }

            return new Layer(this, path, path, value, children);
        }
    }

    /// <summary>An <see cref="IConfiguration"/> that is not a root (no providers to look through): one merged layer.</summary>
    private sealed class MergedSource(IConfiguration configuration) : Source
    {
        public override Layer? Read(string path)
        {
            var section = configuration.GetSection(path);
            var children = section.GetChildren().Select(static c => c.Key).ToArray();
            var value = section.Value;
            if (value is null && children.Length == 0)
            {
                // A key set to JSON null is indistinguishable from a missing one here; treat it as missing.
                return null;
            }

            return new Layer(this, path, section.Path, value, children);
        }
    }

    private sealed class NullSource : Source
    {
        public static readonly NullSource Instance = new();

        public override Layer? Read(string path) => null;
    }
}
