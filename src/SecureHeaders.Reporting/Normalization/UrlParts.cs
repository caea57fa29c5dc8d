namespace SecureHeaders.Reporting.Normalization;

/// <summary>
/// A URL taken apart just enough for reports: scheme, host, port and the URL without its query. Userinfo, query
/// string and fragment are dropped on purpose: they carry tokens and personal data that a report store must not keep.
/// </summary>
internal readonly record struct UrlParts(string Scheme, string Host, int Port, bool HasAuthority)
{
    // The origins seen last on this thread (the normaliser runs on one): reports repeat a few origins — the page's,
    // its scripts', the blocked hosts' — so each gets its host and origin strings once, not once per report.
    [ThreadStatic]
    private static (string Scheme, int Port, string Host, string Origin)[]? t_recent;

    [ThreadStatic]
    private static int t_next;

    /// <summary><c>scheme://host[:port]</c>, or <c>scheme:</c> for URLs without authority.</summary>
    public string Origin { get; private init; } = "";

    /// <summary>The URL without userinfo, query string and fragment.</summary>
    public string WithoutQuery { get; private init; } = "";

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

        var scheme = LowerScheme(s[..colon]);
        var rest = s[(colon + 1)..];
        if (!rest.StartsWith("//"))
        {
            // data:, blob:, about:blank… have no authority; only the scheme matters.
            var bare = scheme + ":";
            parts = new UrlParts(scheme, string.Empty, -1, HasAuthority: false) { Origin = bare, WithoutQuery = bare };
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
        var (host, origin) = HostAndOrigin(scheme, hostSpan, port);

        // Most URLs in reports are already in that form: then the string that came in is the one to keep.
        var withoutQuery = path.Length == 0 ? origin
            : s.Length == origin.Length + path.Length && s.StartsWith(origin, StringComparison.Ordinal) && s.EndsWith(path, StringComparison.Ordinal)
                ? (s.Length == value.Length ? value : s.ToString())
                : string.Concat(origin, path);
        parts = new UrlParts(scheme, host, port, HasAuthority: true) { Origin = origin, WithoutQuery = withoutQuery };
        return true;
    }

    private static (string Host, string Origin) HostAndOrigin(string scheme, ReadOnlySpan<char> hostSpan, int port)
    {
        var recent = t_recent ??= new (string, int, string, string)[4];
        foreach (var entry in recent)
        {
            // Schemes are interned (LowerScheme), so reference equality finds the common ones.
            if (entry.Host is not null && entry.Port == port && ReferenceEquals(entry.Scheme, scheme) && hostSpan.SequenceEqual(entry.Host))
            {
                return (entry.Host, entry.Origin);
            }
        }

        var host = Lower(hostSpan);
        var origin = port < 0
            ? string.Concat(scheme, "://", host)
            : string.Concat(scheme, "://", host, ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        recent[t_next] = (scheme, port, host, origin);
        t_next = (t_next + 1) % recent.Length;
        return (host, origin);
    }

    /// <summary>The scheme in lower case; the common ones without allocating.</summary>
    private static string LowerScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? "https"
        : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? "http"
        : scheme.Equals("wss", StringComparison.OrdinalIgnoreCase) ? "wss"
        : scheme.Equals("ws", StringComparison.OrdinalIgnoreCase) ? "ws"
        : scheme.Equals("data", StringComparison.OrdinalIgnoreCase) ? "data"
        : scheme.Equals("blob", StringComparison.OrdinalIgnoreCase) ? "blob"
        : Lower(scheme);

    /// <summary>Lower-cased with one allocation (invariant culture, as <see cref="string.ToLowerInvariant"/>).</summary>
    private static string Lower(ReadOnlySpan<char> value)
    {
        if (!value.ContainsAnyInRange('A', 'Z') && System.Text.Ascii.IsValid(value))
        {
            return value.ToString();
        }

        return string.Create(value.Length, value, static (destination, source) => source.ToLowerInvariant(destination));
    }

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
