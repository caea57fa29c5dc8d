using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SecureHeaders.Headers.StructuredFields;

/// <summary>The type of a bare item (RFC 8941 §3.3).</summary>
public enum SfKind
{
    /// <summary>An integer (§3.3.1).</summary>
    Integer,

    /// <summary>A decimal (§3.3.2).</summary>
    Decimal,

    /// <summary>A string (§3.3.3).</summary>
    String,

    /// <summary>A token (§3.3.4).</summary>
    Token,

    /// <summary>A byte sequence (§3.3.5).</summary>
    ByteSequence,

    /// <summary>A boolean (§3.3.6).</summary>
    Boolean,
}

/// <summary>A bare item of a structured field: integer, decimal, string, token, byte sequence or boolean (RFC 8941 §3.3).</summary>
public readonly record struct SfBareItem
{
    private SfBareItem(SfKind kind, object value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>The type.</summary>
    public SfKind Kind { get; }

    /// <summary>The value: <see cref="long"/>, <see cref="decimal"/>, <see cref="string"/> (string and token), <c>byte[]</c> or <see cref="bool"/>.</summary>
    public object Value { get; }

    /// <summary>The value as a string, for strings and tokens.</summary>
    public string? AsString => Kind is SfKind.String or SfKind.Token ? (string)Value : null;

#pragma warning disable CS1591 // Factories named after the RFC's types.
    public static SfBareItem Integer(long value) => new(SfKind.Integer, value);

    public static SfBareItem Decimal(decimal value) => new(SfKind.Decimal, value);

    public static SfBareItem String(string value) => new(SfKind.String, value);

    public static SfBareItem Token(string value) => new(SfKind.Token, value);

    public static SfBareItem Bytes(byte[] value) => new(SfKind.ByteSequence, value);

    public static SfBareItem Boolean(bool value) => new(SfKind.Boolean, value);
#pragma warning restore CS1591

    /// <summary>True when this is the token <paramref name="token"/> (tokens are case-sensitive in RFC 8941).</summary>
    public bool IsToken(string token) => Kind == SfKind.Token && (string)Value == token;

    /// <summary>Serializes the bare item (RFC 8941 §4.1.3.1).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        SfSerializer.WriteBareItem(sb, this);
        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(SfBareItem other) =>
        Kind == other.Kind && (Kind == SfKind.ByteSequence ? ((byte[])Value).AsSpan().SequenceEqual((byte[])other.Value) : Value.Equals(other.Value));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Kind == SfKind.ByteSequence ? ((byte[])Value).Length : Value.GetHashCode());

    internal static string FormatDecimal(decimal value)
    {
        // §4.1.5: round to three fractional digits, at least one digit after the point.
        var rounded = Math.Round(value, 3, MidpointRounding.ToEven);
        var text = rounded.ToString("0.0##", CultureInfo.InvariantCulture);
        return text;
    }
}

/// <summary>A bare item with parameters (RFC 8941 §3.3).</summary>
/// <param name="Value">The bare item.</param>
/// <param name="Parameters">Ordered key/value parameters (§3.1.2).</param>
public sealed record SfItem(SfBareItem Value, ImmutableArray<KeyValuePair<string, SfBareItem>> Parameters)
{
    /// <summary>Creates an item without parameters.</summary>
    public SfItem(SfBareItem value)
        : this(value, [])
    {
    }

    /// <summary>Looks up a parameter by key.</summary>
    public SfBareItem? Parameter(string key)
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.Key == key)
            {
                return parameter.Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(SfItem? other) => other is not null && Value.Equals(other.Value) && Parameters.SequenceEqual(other.Parameters);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Value, Parameters.Length);
}

/// <summary>A member of a list or dictionary: either an item or an inner list (RFC 8941 §3.1.1).</summary>
/// <param name="Item">The item, when the member is an item.</param>
/// <param name="InnerList">The inner list's items, when the member is an inner list.</param>
/// <param name="Parameters">The parameters of the inner list (items carry their own).</param>
public sealed record SfMember(SfItem? Item, ImmutableArray<SfItem> InnerList, ImmutableArray<KeyValuePair<string, SfBareItem>> Parameters)
{
    /// <summary>True when the member is an inner list.</summary>
    public bool IsInnerList => Item is null;

    /// <summary>Creates an item member.</summary>
    public static SfMember FromItem(SfItem item) => new(item, [], []);

    /// <summary>Creates an inner-list member.</summary>
    public static SfMember FromInnerList(IEnumerable<SfItem> items, IEnumerable<KeyValuePair<string, SfBareItem>>? parameters = null) =>
        new(null, [.. items], parameters is null ? [] : [.. parameters]);

    /// <inheritdoc />
    public bool Equals(SfMember? other) =>
        other is not null && Equals(Item, other.Item) && InnerList.SequenceEqual(other.InnerList) && Parameters.SequenceEqual(other.Parameters);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Item, InnerList.Length, Parameters.Length);
}
