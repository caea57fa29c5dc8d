using System.Collections.Immutable;
using System.Text;

namespace SecureHeaders.Csp;

/// <summary>
/// A content security policy: an ordered set of directives with unique names (CSP3 §2.2). Immutable; every
/// change returns a new policy. <see cref="ToString"/> gives the serialized form, which <see cref="CspParser"/>
/// parses back to an equal policy.
/// </summary>
public sealed class CspPolicy : IEquatable<CspPolicy>
{
    /// <summary>The policy with no directives.</summary>
    public static readonly CspPolicy Empty = new([]);

    private CspPolicy(ImmutableArray<CspDirective> directives) => Directives = directives;

    /// <summary>The directives in order.</summary>
    public ImmutableArray<CspDirective> Directives { get; }

    /// <summary>True when the policy has no directives.</summary>
    public bool IsEmpty => Directives.IsEmpty;

    /// <summary>Creates a policy from directives. A later directive with a name already present replaces nothing and is dropped, as browsers do.</summary>
    public static CspPolicy Create(IEnumerable<CspDirective> directives)
    {
        ArgumentNullException.ThrowIfNull(directives);
        var builder = ImmutableArray.CreateBuilder<CspDirective>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in directives)
        {
            if (names.Add(directive.Name))
            {
                builder.Add(directive);
            }
        }

        return new(builder.ToImmutable());
    }

    /// <summary>Parses a serialized policy, ignoring diagnostics. Use <see cref="CspParser.Parse(string, CspParseMode)"/> to see them.</summary>
    public static CspPolicy Parse(string serialized) => CspParser.Parse(serialized).Policy;

    /// <summary>Finds a directive by name (ASCII case-insensitive).</summary>
    public CspDirective? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var directive in Directives)
        {
            if (string.Equals(directive.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return directive;
            }
        }

        return null;
    }

    /// <summary>True when the policy has a directive of that name.</summary>
    public bool Contains(string name) => Find(name) is not null;

    /// <summary>
    /// The directive that governs <paramref name="name"/>, following the fallback list of CSP3 §6.8.3
    /// (for example <c>script-src-elem → script-src → default-src</c>), or <see langword="null"/> when none applies.
    /// </summary>
    public CspDirective? FindEffective(string name)
    {
        var info = CspDirectives.Find(name);
        if (info is null || info.Fallback.Count == 0)
        {
            return Find(name);
        }

        foreach (var candidate in info.Fallback)
        {
            if (Find(candidate) is { } directive)
            {
                return directive;
            }
        }

        return null;
    }

    /// <summary>Adds the directive, or replaces the one with the same name in place.</summary>
    public CspPolicy Set(CspDirective directive)
    {
        ArgumentNullException.ThrowIfNull(directive);
        for (var i = 0; i < Directives.Length; i++)
        {
            if (Directives[i].Name == directive.Name)
            {
                return new(Directives.SetItem(i, directive));
            }
        }

        return new(Directives.Add(directive));
    }

    /// <summary>Removes a directive; returns this policy when it has none of that name.</summary>
    public CspPolicy Remove(string name)
    {
        for (var i = 0; i < Directives.Length; i++)
        {
            if (string.Equals(Directives[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return new(Directives.RemoveAt(i));
            }
        }

        return this;
    }

    /// <summary>
    /// Adds sources to a directive (secure_headers' "append", django-csp's "update"). When the directive is absent
    /// and it falls back to another one (a fetch directive to <c>default-src</c>), the new directive starts from
    /// the values it used to inherit, so that adding a source never removes a restriction. <c>'none'</c> is
    /// dropped once a real source is added, and sources already present are not repeated.
    /// </summary>
    public CspPolicy AddSources(string name, IEnumerable<CspSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var start = Find(name) ?? FindEffective(name);
        var values = new List<CspSource>();
        if (start is not null)
        {
            foreach (var value in start.Values)
            {
                if (value.Kind != CspSourceKind.None)
                {
                    values.Add(value);
                }
            }
        }

        foreach (var source in sources)
        {
            if (!values.Contains(source))
            {
                values.Add(source);
            }
        }

        if (values.Count == 0)
        {
            values.Add(CspSource.NoneSource);
        }

        return Set(new CspDirective(name, values));
    }

    /// <summary>
    /// Combines two policies by adding what <paramref name="other"/> allows to this policy (used to layer presets
    /// such as <see cref="CspPresets.GoogleFonts"/> on a base policy):
    /// <list type="bullet">
    /// <item>a source-list directive that allows something is added with <see cref="AddSources"/> (so a new
    /// <c>style-src</c> starts from what <c>default-src</c> allowed);</item>
    /// <item>a source-list directive that allows nothing (<c>'none'</c>) is added as is when this policy lacks it,
    /// and otherwise leaves this policy's directive unchanged (adding nothing to an allowance changes nothing);</item>
    /// <item><c>report-to</c>, <c>require-trusted-types-for</c> and value-less directives are taken from
    /// <paramref name="other"/>; other value lists (<c>sandbox</c> flags, <c>report-uri</c>, <c>trusted-types</c>)
    /// are united.</item>
    /// </list>
    /// </summary>
    public CspPolicy Merge(CspPolicy other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = this;
        foreach (var directive in other.Directives)
        {
            var mine = result.Find(directive.Name);
            var info = directive.Info;
            if (info is null || info.HasSourceList)
            {
                if (!directive.AllowsNothing)
                {
                    result = result.AddSources(directive.Name, directive.Values.Where(static v => v.Kind != CspSourceKind.None));
                }
                else if (mine is null)
                {
                    result = result.Set(directive);
                }

                continue;
            }

            if (mine is null || info.ValueKind is CspValueKind.None or CspValueKind.ReportingEndpointName or CspValueKind.TrustedTypesSinkGroups)
            {
                result = result.Set(directive);
                continue;
            }

            var values = new List<CspSource>(mine.Values.Where(static v => v.Kind != CspSourceKind.None));
            foreach (var value in directive.Values)
            {
                if (value.Kind != CspSourceKind.None && !values.Contains(value))
                {
                    values.Add(value);
                }
            }

            result = result.Set(values.Count == 0 && (mine.Has(CspSourceKind.None) || directive.Has(CspSourceKind.None))
                ? new CspDirective(directive.Name, [CspSource.NoneSource])
                : new CspDirective(directive.Name, values));
        }

        return result;
    }

    /// <summary>Returns a copy in which the nonce placeholder is replaced by a concrete <c>'nonce-…'</c> source.</summary>
    public CspPolicy WithNonce(string nonce)
    {
        var nonceSource = CspSource.Nonce(nonce);
        var builder = ImmutableArray.CreateBuilder<CspDirective>(Directives.Length);
        foreach (var directive in Directives)
        {
            builder.Add(directive.Has(CspSourceKind.NoncePlaceholder)
                ? directive.WithValues(directive.Values.Select(v => v.Kind == CspSourceKind.NoncePlaceholder ? nonceSource : v))
                : directive);
        }

        return new(builder.MoveToImmutable());
    }

    /// <summary>True when any directive carries the nonce placeholder.</summary>
    public bool HasNoncePlaceholder
    {
        get
        {
            foreach (var directive in Directives)
            {
                if (directive.Has(CspSourceKind.NoncePlaceholder))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The serialized policy: directives joined by <c>"; "</c> (CSP3 §2.2 "serialized CSP").</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var directive in Directives)
        {
            if (sb.Length > 0)
            {
                sb.Append("; ");
            }

            sb.Append(directive.Name);
            foreach (var value in directive.Values)
            {
                sb.Append(' ').Append(value.Text);
            }
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(CspPolicy? other) => other is not null && Directives.SequenceEqual(other.Directives);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CspPolicy);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var directive in Directives)
        {
            hash.Add(directive);
        }

        return hash.ToHashCode();
    }
}
