namespace SecureHeaders.Analysis.Observatory;

/// <summary>
/// The headers of a response as the Observatory (running on Node.js) sees them. Node's HTTP client keeps
/// <c>Set-Cookie</c> as a list, keeps only the first of a few single-valued headers (Content-Type, Location, Server…)
/// and joins every other repeated header into one value with <c>", "</c>. So two CSP headers arrive as one garbled
/// policy and two HSTS headers as one value containing a comma; this view reproduces that.
/// </summary>
internal sealed class NodeHeaderView
{
    // Node's http module discards duplicates of these (IncomingMessage, "Duplicates of … are discarded").
    private static readonly string[] s_firstOnly =
    [
        "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host", "if-modified-since",
        "if-unmodified-since", "last-modified", "location", "max-forwards", "proxy-authorization", "referer", "retry-after",
        "server", "user-agent",
    ];

    private readonly Dictionary<string, string> _joined = new(StringComparer.Ordinal);
    private readonly List<string> _setCookies = [];

    public NodeHeaderView(HeaderSet? response)
    {
        if (response is null)
        {
            return;
        }

        // Joined in one pass per name, so that thousands of repeated lines cost linear time.
        var joining = new Dictionary<string, System.Text.StringBuilder>(StringComparer.Ordinal);
        foreach (var header in response.Headers)
        {
            var name = header.Name.ToLowerInvariant();
            if (name == "set-cookie")
            {
                _setCookies.Add(header.Value);
            }
            else if (!joining.TryGetValue(name, out var existing))
            {
                joining[name] = new System.Text.StringBuilder(header.Value);
            }
            else if (name == "cookie")
            {
                existing.Append("; ").Append(header.Value);
            }
            else if (Array.IndexOf(s_firstOnly, name) < 0)
            {
                existing.Append(", ").Append(header.Value);
            }
        }

        foreach (var (name, value) in joining)
        {
            _joined[name] = value.ToString();
        }
    }

    /// <summary>The value Node exposes for a header (joined), or <see langword="null"/> when absent.</summary>
    public string? Get(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower == "set-cookie")
        {
            return _setCookies.Count > 0 ? _setCookies[0] : null;
        }

        return _joined.GetValueOrDefault(lower);
    }

    /// <summary>The Observatory's <c>getHttpHeaders</c>: a one-element list with the joined value, or the Set-Cookie list.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var lower = name.ToLowerInvariant();
        if (lower == "set-cookie")
        {
            return _setCookies;
        }

        return _joined.TryGetValue(lower, out var value) ? [value] : [];
    }
}
