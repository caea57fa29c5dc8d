namespace SecureHeaders.Internal;

/// <summary>Character rules of HTTP field values (RFC 9110 §5.5, §5.6.2).</summary>
internal static class HttpTokens
{
    /// <summary>True for a non-empty RFC 9110 <c>token</c>: visible ASCII except delimiters.</summary>
    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for <c>tchar</c>.</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>
    /// True when the value can be sent as a header field value: visible ASCII, spaces and tabs only (RFC 9110 §5.5
    /// <c>field-value</c>, restricted to ASCII as Kestrel requires by default), no leading or trailing whitespace.
    /// </summary>
    public static bool IsSafeFieldValue(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' and not '\t' || c >= '\x7f')
            {
                return false;
            }
        }

        return value.IsEmpty || (value[0] is not ' ' and not '\t' && value[^1] is not ' ' and not '\t');
    }
}
