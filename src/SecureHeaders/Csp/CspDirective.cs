using System.Collections.Immutable;

namespace SecureHeaders.Csp;

/// <summary>One directive of a policy: a lower-case name and its ordered values (CSP3 §2.3 "Directives").</summary>
public sealed class CspDirective : IEquatable<CspDirective>
{
    /// <summary>Creates a directive; the name is lower-cased (directive names are ASCII case-insensitive).</summary>
    public CspDirective(string name, IEnumerable<CspSource> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        Name = name.ToLowerInvariant();
        Values = [.. values];
        Info = CspDirectives.Find(Name);
    }

    /// <summary>Creates a directive from value tokens, classifying each one for the directive's grammar.</summary>
    public CspDirective(string name, params string[] values)
        : this(name, Classify(name, values))
    {
    }

    /// <summary>The lower-case directive name.</summary>
    public string Name { get; }

    /// <summary>The values in order, as written.</summary>
    public ImmutableArray<CspSource> Values { get; }

    /// <summary>The registry entry, or <see langword="null"/> for a directive the registry does not know.</summary>
    public CspDirectiveInfo? Info { get; }

    /// <summary>True when the value list is empty or exactly <c>'none'</c>.</summary>
    public bool AllowsNothing => Values.IsEmpty || (Values.Length == 1 && Values[0].Kind == CspSourceKind.None);

    /// <summary>True when any value is of the given kind.</summary>
    public bool Has(CspSourceKind kind)
    {
        foreach (var value in Values)
        {
            if (value.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the list holds <paramref name="source"/> (compared as CSP compares sources).</summary>
    public bool Contains(CspSource source) => Values.Contains(source);

    /// <summary>Returns a copy with other values.</summary>
    public CspDirective WithValues(IEnumerable<CspSource> values) => new(Name, values);

    /// <summary>Serializes as <c>name value value</c> (CSP3 §2.2 serialized directive).</summary>
    public override string ToString() =>
        Values.IsEmpty ? Name : Name + " " + string.Join(' ', Values.Select(static v => v.Text));

    /// <inheritdoc />
    public bool Equals(CspDirective? other) =>
        other is not null && Name == other.Name && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CspDirective);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        foreach (var value in Values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    internal static IEnumerable<CspSource> Classify(string directiveName, IEnumerable<string> values)
    {
        var info = CspDirectives.Find(directiveName);
        var sources = info is null || info.HasSourceList;
        foreach (var value in values)
        {
            yield return sources ? CspSource.Parse(value) : ClassifyToken(value);
        }
    }

    private static CspSource ClassifyToken(string value)
    {
        // Non-source directives still use 'none' in a few grammars (trusted-types); keep that recognisable.
        var parsed = CspSource.Parse(value);
        return parsed.Kind is CspSourceKind.None ? parsed : CspSource.Token(value);
    }
}
