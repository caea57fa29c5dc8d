namespace SecureHeaders.Reporting.Normalization;

/// <summary>
/// Decides whether a report is browser noise: something an extension, the browser's own pages or injected tooling
/// caused, which no change to the site's policy should allow.
/// </summary>
internal sealed class NoiseFilter
{
    private readonly HashSet<string> _schemes;
    private readonly string[] _exactHosts;
    private readonly string[] _hostSuffixes;

    public NoiseFilter(IEnumerable<string> schemes, IEnumerable<string> hosts)
    {
        _schemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in schemes)
        {
            _schemes.Add(s.TrimEnd(':', '/'));
        }

        var exact = new List<string>();
        var suffixes = new List<string>();
        foreach (var h in hosts)
        {
            if (h.StartsWith("*.", StringComparison.Ordinal))
            {
                suffixes.Add(h[1..].ToLowerInvariant());
            }
            else
            {
                exact.Add(h.ToLowerInvariant());
            }
        }

        _exactHosts = [.. exact];
        _hostSuffixes = [.. suffixes];
    }

    /// <summary>Whether a URL scheme (without colon) is on the noise list.</summary>
    public bool IsNoiseScheme(string scheme) => scheme.Length > 0 && _schemes.Contains(scheme);

    /// <summary>Whether a lower-case host is on the noise list, exactly or under a <c>*.</c> entry.</summary>
    public bool IsNoiseHost(string host)
    {
        if (host.Length == 0)
        {
            return false;
        }

        foreach (var h in _exactHosts)
        {
            if (string.Equals(h, host, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var suffix in _hostSuffixes)
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal) || string.Equals(host, suffix[1..], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a stored violation is noise under the current lists (the lists may have grown since it was stored).</summary>
    public bool IsNoise(Violation v)
    {
        var blockedScheme = SchemeOf(v.BlockedUri);
        if (IsNoiseScheme(blockedScheme) || IsNoiseScheme(SchemeOf(v.SourceFile)))
        {
            return true;
        }

        return IsNoiseHost(HostOf(v.BlockedUri)) || IsNoiseHost(v.SourceHost);
    }

    private static string SchemeOf(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        // Keyword values (inline, eval, data…) have no colon; treat the keyword itself as the scheme-like token.
        return colon < 0 ? value : value[..colon];
    }

    private static string HostOf(string value) =>
        UrlParts.TryParse(value, out var parts) && parts.HasAuthority ? parts.Host : string.Empty;
}
