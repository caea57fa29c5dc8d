namespace SecureHeaders.Reporting.Normalization;

/// <summary>
/// A URL taken apart just enough for reports: scheme, host, port and path. Userinfo, query string and fragment are
/// dropped on purpose: they carry tokens and personal data that a report store must not keep.
/// </summary>
internal readonly record struct UrlParts(string Scheme, string Host, int Port, string Path, bool HasAuthority)
{
    /// <summary>Takes apart an absolute URL; <see langword="false"/> when <paramref name="value"/> has no scheme.</summary>
    public static bool TryParse(string? value, out UrlParts parts)
    {
        parts = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var s = value.AsSpan().Trim();
        var colon = s.IndexOf(':');
        if (colon <= 0 || !IsScheme(s[..colon]))
        {
            return false;
        }

        var scheme = s[..colon].ToString().ToLowerInvariant();
        var rest = s[(colon + 1)..];
        if (!rest.StartsWith("//"))
        {
            // data:, blob:, about:blank… have no authority; only the scheme matters.
            parts = new UrlParts(scheme, string.Empty, -1, string.Empty, HasAuthority: false);
            return true;
        }

        rest = rest[2..];
        var authorityEnd = rest.IndexOfAny('/', '?', '#');
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var afterAuthority = authorityEnd < 0 ? ReadOnlySpan<char>.Empty : rest[authorityEnd..];

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        var port = -1;
        var hostSpan = authority;
        var portColon = authority.LastIndexOf(':');
        // An IPv6 literal has colons inside brackets; only a colon after the closing bracket starts a port.
        if (portColon >= 0 && portColon > authority.LastIndexOf(']'))
        {
            if (int.TryParse(authority[(portColon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p <= 65535)
            {
                port = p;
            }

            hostSpan = authority[..portColon];
        }

        if (port == DefaultPort(scheme))
        {
            port = -1;
        }

        var pathEnd = afterAuthority.IndexOfAny('?', '#');
        var path = pathEnd < 0 ? afterAuthority : afterAuthority[..pathEnd];
        parts = new UrlParts(scheme, hostSpan.ToString().ToLowerInvariant(), port, path.ToString(), HasAuthority: true);
        return true;
    }

    /// <summary><c>scheme://host[:port]</c>, or <c>scheme:</c> for URLs without authority.</summary>
    public string Origin => HasAuthority
        ? (Port < 0 ? $"{Scheme}://{Host}" : $"{Scheme}://{Host}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
        : Scheme + ":";

    /// <summary>The URL without userinfo, query string and fragment.</summary>
    public string WithoutQuery => HasAuthority ? Origin + Path : Scheme + ":";

    /// <summary>Whether the scheme is one that pages are loaded over (CSP3 "HTTP(S) scheme" plus WebSockets).</summary>
    public bool IsNetworkScheme => Scheme is "http" or "https" or "ws" or "wss";

    private static int DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        _ => -2,
    };

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        // RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        if (!char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.')
            {
                return false;
            }
        }

        return true;
    }
}
