using SecureHeaders.Headers;

namespace SecureHeaders.Analysis.Observatory;

/// <summary>A cookie as the Observatory's cookie store keeps it.</summary>
internal sealed record StoredCookie(string Name, string Value, string Domain, string Path, bool HostOnly, bool Secure, bool HttpOnly, SetCookieSameSite SameSite, DateTimeOffset? ExpiryTime)
{
    /// <summary>The SameSite value the store recorded: only Strict, Lax and None count; anything else is "none recorded".</summary>
    public bool HasSameSite => SameSite is SetCookieSameSite.Strict or SetCookieSameSite.Lax or SetCookieSameSite.None;
}

/// <summary>
/// The cookie store the Observatory fills while it follows a redirect chain (tough-cookie 5 with its defaults): headers
/// parsed with our RFC 6265bis parser, then the store's own rules on top — a cookie needs a non-empty name; a
/// <c>Domain</c> must domain-match the host and must not be a public suffix or an IP address; <c>__Secure-</c>/
/// <c>__Host-</c> prefixes are checked case-sensitively and failures are dropped silently; a cookie replaces the one with
/// the same domain, path and name; expired cookies stay stored unless a later request to a matching URL purges them.
/// </summary>
internal sealed class ObservatoryCookieJar
{
    private readonly List<StoredCookie> _cookies = [];
    private readonly Dictionary<(string Domain, string Path, string Name), int> _index = [];
    private readonly DateTimeOffset _now;

    public ObservatoryCookieJar(DateTimeOffset now) => _now = now;

    public IReadOnlyList<StoredCookie> Cookies => _cookies;

    /// <summary>What happens before a request: matching cookies that have expired are removed.</summary>
    public void BeforeRequest(Uri url)
    {
        var host = url.IdnHost.ToLowerInvariant();
        var path = string.IsNullOrEmpty(url.AbsolutePath) ? "/" : url.AbsolutePath;
        var secure = url.Scheme == Uri.UriSchemeHttps;
        var removed = _cookies.RemoveAll(c =>
            (c.HostOnly ? c.Domain == host : DomainMatch(host, c.Domain))
            && PathMatch(path, c.Path)
            && (!c.Secure || secure)
            && c.ExpiryTime is { } expiry && expiry <= _now);
        if (removed > 0)
        {
            _index.Clear();
            for (var i = 0; i < _cookies.Count; i++)
            {
                _index[(_cookies[i].Domain, _cookies[i].Path, _cookies[i].Name)] = i;
            }
        }
    }

    /// <summary>The Cookie header a request to <paramref name="url"/> carries (RFC 6265bis §5.8.3), or <see langword="null"/>.</summary>
    public string? CookieHeaderFor(Uri url)
    {
        var host = url.IdnHost.ToLowerInvariant();
        var path = string.IsNullOrEmpty(url.AbsolutePath) ? "/" : url.AbsolutePath;
        var secure = url.Scheme == Uri.UriSchemeHttps;
        var matching = _cookies.Where(c => (c.HostOnly ? c.Domain == host : DomainMatch(host, c.Domain)) && PathMatch(path, c.Path)
            && (!c.Secure || secure) && !(c.ExpiryTime is { } expiry && expiry <= _now)).ToList();
        return matching.Count == 0 ? null : string.Join("; ", matching.Select(static c => c.Name + "=" + c.Value));
    }

    /// <summary>Stores the cookies of one response received from <paramref name="url"/>.</summary>
    public void Store(Uri url, IEnumerable<string> setCookieValues)
    {
        var host = url.IdnHost.ToLowerInvariant();
        foreach (var value in setCookieValues)
        {
            if (!SetCookieHeader.TryParse(value.Trim(), out var cookie) || cookie.Name.Length == 0)
            {
                continue;
            }

            string domain;
            bool hostOnly;
            if (cookie.Domain is { } cookieDomain)
            {
                if (RegistrableDomain.IsPublicSuffixOrAddress(cookieDomain) || !DomainMatch(host, cookieDomain))
                {
                    continue;
                }

                domain = cookieDomain;
                hostOnly = false;
            }
            else
            {
                domain = host;
                hostOnly = true;
            }

            var path = cookie.Path ?? DefaultPath(url.AbsolutePath);
            if (cookie.Name.StartsWith("__Secure-", StringComparison.Ordinal) && !cookie.Secure)
            {
                continue;
            }

            if (cookie.Name.StartsWith("__Host-", StringComparison.Ordinal) && !(cookie.Secure && hostOnly && path == "/"))
            {
                continue;
            }

            DateTimeOffset? expiry = cookie.MaxAge is { } maxAge
                ? (maxAge <= 0 ? DateTimeOffset.MinValue : (maxAge > 10_000_000_000L ? DateTimeOffset.MaxValue : _now.AddSeconds(maxAge)))
                : cookie.Expires;
            var stored = new StoredCookie(cookie.Name, cookie.Value, domain, path, hostOnly, cookie.Secure, cookie.HttpOnly, cookie.SameSite, expiry);
            // A cookie with the same name, domain and path replaces the stored one in place (RFC 6265bis §5.7 step 23).
            if (_index.TryGetValue((domain, path, cookie.Name), out var index) && index < _cookies.Count && _cookies[index] is var old
                && old.Domain == domain && old.Path == path && old.Name == cookie.Name)
            {
                _cookies[index] = stored;
            }
            else
            {
                _index[(domain, path, cookie.Name)] = _cookies.Count;
                _cookies.Add(stored);
            }
        }
    }

    // RFC 6265bis §5.1.3, as the store implements it: IP addresses only match themselves.
    private static bool DomainMatch(string host, string domain)
    {
        if (host == domain)
        {
            return true;
        }

        return host.EndsWith("." + domain, StringComparison.Ordinal) && !System.Net.IPAddress.TryParse(host, out _);
    }

    // RFC 6265bis §5.1.4.
    private static bool PathMatch(string requestPath, string cookiePath) =>
        requestPath == cookiePath
        || (requestPath.StartsWith(cookiePath, StringComparison.Ordinal)
            && (cookiePath.EndsWith('/') || requestPath[cookiePath.Length] == '/'));

    // RFC 6265bis §5.1.4 default-path.
    private static string DefaultPath(string requestPath)
    {
        if (string.IsNullOrEmpty(requestPath) || requestPath[0] != '/')
        {
            return "/";
        }

        var last = requestPath.LastIndexOf('/');
        return last <= 0 ? "/" : requestPath[..last];
    }
}
