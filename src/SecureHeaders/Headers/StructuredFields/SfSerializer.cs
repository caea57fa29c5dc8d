using System.Collections.Immutable;
using System.Text;

namespace SecureHeaders.Headers.StructuredFields;

/// <summary>Serializes structured field values (RFC 8941 §4.1). Throws on values the RFC cannot represent.</summary>
public static class SfSerializer
{
    /// <summary>Serializes a Dictionary (§4.1.2). A member whose value is the boolean true is written as the bare key.</summary>
    public static string SerializeDictionary(IEnumerable<KeyValuePair<string, SfMember>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sb = new StringBuilder();
        foreach (var (key, member) in members)
        {
            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            WriteKey(sb, key);
            if (member.Item is { } item && item.Value.Kind == SfKind.Boolean && (bool)item.Value.Value)
            {
                WriteParameters(sb, item.Parameters);
            }
            else
            {
                sb.Append('=');
                WriteMember(sb, member);
            }
        }

        return sb.ToString();
    }

    /// <summary>Serializes a List (§4.1.1).</summary>
    public static string SerializeList(IEnumerable<SfMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sb = new StringBuilder();
        foreach (var member in members)
        {
            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            WriteMember(sb, member);
        }

        return sb.ToString();
    }

    /// <summary>Serializes an Item (§4.1.3).</summary>
    public static string SerializeItem(SfItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var sb = new StringBuilder();
        WriteBareItem(sb, item.Value);
        WriteParameters(sb, item.Parameters);
        return sb.ToString();
    }

    private static void WriteMember(StringBuilder sb, SfMember member)
    {
        if (member.Item is { } item)
        {
            WriteBareItem(sb, item.Value);
            WriteParameters(sb, item.Parameters);
            return;
        }

        sb.Append('(');
        for (var i = 0; i < member.InnerList.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            WriteBareItem(sb, member.InnerList[i].Value);
            WriteParameters(sb, member.InnerList[i].Parameters);
        }

        sb.Append(')');
        WriteParameters(sb, member.Parameters);
    }

    private static void WriteParameters(StringBuilder sb, ImmutableArray<KeyValuePair<string, SfBareItem>> parameters)
    {
        // Indexed, not enumerated through IEnumerable: the boxed enumerator is generic code JIT-compiled at startup.
        for (var i = 0; i < parameters.Length; i++)
        {
            var (key, value) = parameters[i];
            sb.Append(';');
            WriteKey(sb, key);
            if (!(value.Kind == SfKind.Boolean && (bool)value.Value))
            {
                sb.Append('=');
                WriteBareItem(sb, value);
            }
        }
    }

    private static void WriteKey(StringBuilder sb, string key)
    {
        if (!IsKey(key))
        {
            throw new ArgumentException($"\"{key}\" is not a structured-field key: lower-case letters, digits, '_', '-', '.', '*', starting with a letter or '*' (RFC 8941 §3.1.2).", nameof(key));
        }

        sb.Append(key);
    }

    /// <summary>True when <paramref name="key"/> matches the <c>key</c> grammar of RFC 8941 §3.1.2.</summary>
    public static bool IsKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0 || !(char.IsAsciiLetterLower(key[0]) || key[0] == '*'))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-' or '.' or '*'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="token"/> matches the <c>sf-token</c> grammar of RFC 8941 §3.3.4.</summary>
    public static bool IsToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0 || !(char.IsAsciiLetter(token[0]) || token[0] == '*'))
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!(Internal.HttpTokens.IsTokenChar(c) || c is ':' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    internal static void WriteBareItem(StringBuilder sb, SfBareItem item)
    {
        switch (item.Kind)
        {
            case SfKind.Integer:
                var integer = (long)item.Value;
                if (integer is > 999_999_999_999_999 or < -999_999_999_999_999)
                {
                    throw new ArgumentOutOfRangeException(nameof(item), "Structured-field integers have at most 15 digits (RFC 8941 §3.3.1).");
                }

                sb.Append(integer.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case SfKind.Decimal:
                sb.Append(SfBareItem.FormatDecimal((decimal)item.Value));
                break;
            case SfKind.String:
                sb.Append('"');
                foreach (var c in (string)item.Value)
                {
                    if (c is < ' ' or > '~')
                    {
                        throw new ArgumentException("Structured-field strings hold printable ASCII only (RFC 8941 §3.3.3).", nameof(item));
                    }

                    if (c is '"' or '\\')
                    {
                        sb.Append('\\');
                    }

                    sb.Append(c);
                }

                sb.Append('"');
                break;
            case SfKind.Token:
                var token = (string)item.Value;
                if (!IsToken(token))
                {
                    throw new ArgumentException($"\"{token}\" is not a structured-field token (RFC 8941 §3.3.4).", nameof(item));
                }

                sb.Append(token);
                break;
            case SfKind.ByteSequence:
                sb.Append(':').Append(Convert.ToBase64String((byte[])item.Value)).Append(':');
                break;
            case SfKind.Boolean:
                sb.Append((bool)item.Value ? "?1" : "?0");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(item));
        }
    }
}
