using System.Globalization;

namespace SecureHeaders.Csp.Evaluation;

/// <summary>
/// The host and path of a source value read as a URL, the way the CSP Evaluator reads them (a URL parser after
/// stripping the scheme): numeric hosts are normalised as WHATWG URL does (<c>127.1</c> is <c>127.0.0.1</c>),
/// a leading <c>*</c> becomes a wildcard label, <c>:*</c> ports are dropped.
/// </summary>
internal readonly record struct SourceUrl(string Host, string Path, bool HostHasWildcard)
{
    private const string WildcardLabel = "wildcard_placeholder";

    /// <summary>Removes a leading <c>scheme://</c> and then a leading <c>//</c>.</summary>
    public static string WithoutScheme(string value)
    {
        var i = 0;
        if (value.Length > 0 && (char.IsAsciiLetterOrDigit(value[0]) || value[0] == '_'))
        {
            i = 1;
            while (i < value.Length && (char.IsAsciiLetterOrDigit(value[i]) || value[i] is '_' or '+' or '.' or '-'))
            {
                i++;
            }

            value = string.CompareOrdinal(value, i, "://", 0, 3) == 0 ? value[(i + 3)..] : value;
        }

        return value.StartsWith("//", StringComparison.Ordinal) ? value[2..] : value;
    }

    /// <summary>Reads a value; <see langword="null"/> where a URL parser would reject it.</summary>
    public static SourceUrl? TryParse(string value)
    {
        // Read as "https://" + value: a URL parser skips any further slashes before the authority.
        var text = WithoutScheme(value).TrimStart('/', '\\');
        var portStar = text.IndexOf(":*", StringComparison.Ordinal);
        if (portStar >= 0)
        {
            text = text.Remove(portStar, 2);
        }

        var star = text.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            text = text.Remove(star, 1).Insert(star, WildcardLabel);
        }

        var authorityEnd = text.IndexOfAny(['/', '?', '#', '\\']);
        var authority = authorityEnd < 0 ? text : text[..authorityEnd];
        var rest = authorityEnd < 0 ? string.Empty : text[authorityEnd..];
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        string host;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0 && !(after[0] == ':' && IsPort(after.AsSpan(1))))
            {
                return null;
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                if (!IsPort(authority.AsSpan(colon + 1)))
                {
                    return null;
                }

                authority = authority[..colon];
            }

            if (authority.Length == 0)
            {
                return null;
            }

            host = authority.ToLowerInvariant();
            if (EndsInNumber(host))
            {
                var ipv4 = ParseIPv4(host);
                if (ipv4 is null)
                {
                    return null;
                }

                host = ipv4;
            }
        }

        var pathEnd = rest.IndexOfAny(['?', '#']);
        var path = (pathEnd < 0 ? rest : rest[..pathEnd]).Replace('\\', '/');
        if (path.Length == 0)
        {
            path = "/";
        }

        return new(host, path, host.StartsWith(WildcardLabel + ".", StringComparison.Ordinal));
    }

    /// <summary>The host with the wildcard label removed (<c>.example.com</c> for <c>*.example.com</c>).</summary>
    public string WildcardFreeHost => Host.StartsWith(WildcardLabel, StringComparison.Ordinal) ? Host[WildcardLabel.Length..] : Host;

    /// <summary>True for a dotted-quad IPv4 address or a bracketed IPv6 address.</summary>
    public bool HostIsIpAddress =>
        (Host.StartsWith('[') && Host.EndsWith(']')) || IsDottedQuad(Host);

    private static bool IsPort(ReadOnlySpan<char> port)
    {
        foreach (var c in port)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return port.IsEmpty || (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 65535);
    }

    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(static p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));
    }

    /// <summary>WHATWG URL "ends in a number": the last label is digits or 0x-hex, so the host is parsed as IPv4.</summary>
    private static bool EndsInNumber(string host)
    {
        var parts = host.Split('.').ToList();
        if (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        var last = parts[^1];
        if (last.Length > 0 && last.All(char.IsAsciiDigit))
        {
            return true;
        }

        return last.StartsWith("0x", StringComparison.Ordinal) && last[2..].All(char.IsAsciiHexDigit);
    }

    /// <summary>WHATWG URL IPv4 parser (decimal, octal with a leading 0, hex with 0x; up to four parts).</summary>
    private static string? ParseIPv4(string host)
    {
        var parts = host.Split('.').ToList();
        if (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count > 4)
        {
            return null;
        }

        var numbers = new List<long>();
        foreach (var part in parts)
        {
            if (part.Length == 0 || !TryParseNumber(part, out var n))
            {
                return null;
            }

            numbers.Add(n);
        }

        for (var i = 0; i < numbers.Count - 1; i++)
        {
            if (numbers[i] > 255)
            {
                return null;
            }
        }

        var limit = 1L << (8 * (5 - numbers.Count));
        if (numbers[^1] >= limit)
        {
            return null;
        }

        long address = numbers[^1];
        for (var i = 0; i < numbers.Count - 1; i++)
        {
            address += numbers[i] << (8 * (3 - i));
        }

        return string.Join('.', Enumerable.Range(0, 4).Select(i => ((address >> (8 * (3 - i))) & 255).ToString(CultureInfo.InvariantCulture)));
    }

    private static bool TryParseNumber(string part, out long value)
    {
        value = 0;
        var style = NumberStyles.None;
        var digits = part;
        var radix = 10;
        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = part[2..];
            radix = 16;
            style = NumberStyles.AllowHexSpecifier;
        }
        else if (part.Length > 1 && part[0] == '0')
        {
            digits = part[1..];
            radix = 8;
        }

        if (digits.Length == 0)
        {
            return true;
        }

        if (digits.Length > 12)
        {
            return false;
        }

        if (radix == 8)
        {
            foreach (var c in digits)
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }

                value = (value * 8) + (c - '0');
            }

            return true;
        }

        return long.TryParse(digits, style, CultureInfo.InvariantCulture, out value);
    }
}
