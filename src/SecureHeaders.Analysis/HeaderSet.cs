using System.Collections.Immutable;
using SecureHeaders.Headers;

namespace SecureHeaders.Analysis;

/// <summary>One header field line as received: the name as written and the value with surrounding whitespace removed.</summary>
/// <param name="Name">The field name; compare it case-insensitively (RFC 9110 §5.1).</param>
/// <param name="Value">The field value.</param>
public readonly record struct HttpHeader(string Name, string Value)
{
    /// <summary>Renders the line as <c>Name: value</c>.</summary>
    public override string ToString() => Name + ": " + Value;
}

/// <summary>One step of a redirect chain: the URL requested, the status it answered with and its headers.</summary>
/// <param name="Url">The URL that was requested.</param>
/// <param name="StatusCode">The status code of the answer (a 3xx for every hop but the last).</param>
/// <param name="Headers">The header lines of the answer, in order.</param>
public sealed record RedirectHop(Uri Url, int StatusCode, ImmutableArray<HttpHeader> Headers);

/// <summary>
/// One HTTP response as the analysis sees it: status, URL, the ordered header lines (a header sent twice stays two
/// lines, never comma-joined), the cookies it sets, how it was reached (the redirect chain), an optional HTML
/// body, whether its TLS certificate was verified, and the answer to a CORS preflight for the same URL.
/// Immutable; build it with the constructor and <c>with</c>-style <c>init</c> properties, or load it with
/// <see cref="HeaderSetReader"/>.
/// </summary>
public sealed class HeaderSet
{
    /// <summary>Creates a header set from header lines.</summary>
    public HeaderSet(IEnumerable<HttpHeader> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Headers = [.. headers];
    }

    /// <summary>Creates a header set from <c>(name, value)</c> pairs.</summary>
    public HeaderSet(params (string Name, string Value)[] headers)
        : this(headers.Select(static h => new HttpHeader(h.Name, h.Value)))
    {
    }

    /// <summary>The header lines in the order received.</summary>
    public ImmutableArray<HttpHeader> Headers { get; }

    /// <summary>The status code; 200 when unknown.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The URL of this (final) response, or <see langword="null"/> for a header set read from a file.</summary>
    public Uri? Url { get; init; }

    /// <summary>The URL scheme, lower-case: the scheme of <see cref="Url"/>, or <c>https</c> when it is unknown.</summary>
    public string Scheme => Url?.Scheme ?? Uri.UriSchemeHttps;

    /// <summary>The body decoded as text when it was HTML (or given in the file), else <see langword="null"/>.</summary>
    public string? Body { get; init; }

    /// <summary>
    /// For an <c>https</c> response: <see langword="true"/> when the certificate chain was verified,
    /// <see langword="false"/> when it was not (fetched again without verification, or with <c>--insecure</c>).
    /// <see langword="null"/> for plain HTTP or a header set read from a file.
    /// </summary>
    public bool? TlsVerified { get; init; }

    /// <summary>
    /// The responses that led here, first request first, <em>not</em> including this one. Empty when the first
    /// request answered directly.
    /// </summary>
    public ImmutableArray<RedirectHop> RedirectChain { get; init; } = [];

    /// <summary>The answer to a CORS preflight (<c>OPTIONS</c>) sent to <see cref="Url"/>, when one was sent.</summary>
    public HeaderSet? CorsPreflight { get; init; }

    /// <summary>The <c>Origin</c> the CORS preflight was sent with.</summary>
    public string? CorsPreflightOrigin { get; init; }

    /// <summary>True when a header of that name is present (case-insensitive).</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Every value of the header, one per line received, in order (case-insensitive name).</summary>
    public IReadOnlyList<string> GetValues(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        List<string>? values = null;
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                (values ??= []).Add(header.Value);
            }
        }

        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>The first value of the header, or <see langword="null"/> when it is absent.</summary>
    public string? GetFirst(string name)
    {
        var index = IndexOf(name);
        return index < 0 ? null : Headers[index].Value;
    }

    /// <summary>The media type of <c>Content-Type</c> (before <c>;</c>), trimmed and lower-cased, or <see langword="null"/>.</summary>
    public string? MediaType
    {
        get
        {
            var value = GetFirst("Content-Type");
            if (value is null)
            {
                return null;
            }

            var semicolon = value.IndexOf(';', StringComparison.Ordinal);
            return (semicolon < 0 ? value : value[..semicolon]).Trim().ToLowerInvariant();
        }
    }

    /// <summary>True when the response is an HTML document (<c>text/html</c> or <c>application/xhtml+xml</c>).</summary>
    public bool IsHtml => MediaType is "text/html" or "application/xhtml+xml";

    /// <summary>The cookies this response sets, parsed per RFC 6265bis §5.6; headers browsers would ignore are left out.</summary>
    public IReadOnlyList<SetCookieHeader> Cookies
    {
        get
        {
            var cookies = new List<SetCookieHeader>();
            foreach (var value in GetValues("Set-Cookie"))
            {
                if (SetCookieHeader.TryParse(value, out var cookie))
                {
                    cookies.Add(cookie);
                }
            }

            return cookies;
        }
    }

    /// <summary>Returns a copy with other header lines and the same status, URL, body, TLS state, chain and preflight.</summary>
    public HeaderSet WithHeaders(IEnumerable<HttpHeader> headers) => new(headers)
    {
        StatusCode = StatusCode,
        Url = Url,
        Body = Body,
        TlsVerified = TlsVerified,
        RedirectChain = RedirectChain,
        CorsPreflight = CorsPreflight,
        CorsPreflightOrigin = CorsPreflightOrigin,
    };

    private int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < Headers.Length; i++)
        {
            if (string.Equals(Headers[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
