using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using SecureHeaders.AspNetCore.Infrastructure;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Redirects plain-HTTP requests to HTTPS (Talisman's <c>force_https</c>): 302/301 for GET and HEAD, 307/308 for
/// other methods so that a POST stays a POST (RFC 9110 §15.4). It runs where <c>app.UseSecureHeaders()</c> is
/// called, so that <c>UseForwardedHeaders()</c> placed before it has already set the scheme from a TLS-terminating
/// proxy.
/// </summary>
/// <remarks>
/// The target host is never taken on trust from the request (that would be an open redirect: <c>Host: evil.example</c>
/// sent to <c>https://evil.example/…</c>). It is <see cref="ForceHttpsOptions.CanonicalHost"/> when set; otherwise the
/// request's host only if the app is configured for it — an <c>AllowedHosts</c> entry other than <c>*</c> (what the
/// host-filtering middleware accepts) or a host the server is bound to. Anything else gets 400, as host filtering
/// answers. A request target whose query holds control characters gets 400 too: it cannot be put into a valid
/// <c>Location</c> (RFC 9110 §10.2.2 and RFC 3986 §3.4).
/// </remarks>
internal sealed class ForceHttpsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SecureHeadersRuntime _runtime;
    private readonly IServer? _server;
    private readonly string[] _allowedHosts;
    private readonly string? _canonicalHost;
    private readonly PathString[] _exemptPaths;
    private bool _warnedAboutForwardedProto;
    private string? _port;
    private string[]? _boundHosts;

    public ForceHttpsMiddleware(RequestDelegate next, SecureHeadersRuntime runtime, IOptions<HostFilteringOptions> hostFiltering, IServer? server = null)
    {
        _next = next;
        _runtime = runtime;
        _server = server;
        _allowedHosts = [.. (hostFiltering.Value.AllowedHosts ?? []).Where(static h => h != "*" && h.Length > 0)];
        _canonicalHost = runtime.ForceHttps.CanonicalHost is { } canonical ? new HostString(canonical).ToUriComponent() : null;
        // A loop, not Select: LINQ over the PathString struct would be JIT-compiled at startup.
        var exempt = runtime.ForceHttps.ExemptPaths;
        _exemptPaths = new PathString[exempt.Count];
        for (var i = 0; i < _exemptPaths.Length; i++)
        {
            _exemptPaths[i] = new PathString(exempt[i].TrimEnd('/'));
        }
        if (_allowedHosts.Length == 0)
        {
            // AllowedHosts "*" (the templates' default) accepts any Host; only the server's bindings can name ours.
            if (_canonicalHost is null)
            {
                SecureHeadersLog.RedirectHostsUnknown(runtime.Logger);
            }
            else
            {
                SecureHeadersLog.AllowedHostsAny(runtime.Logger, _canonicalHost);
            }
        }
    }

    public Task Invoke(HttpContext context)
    {
        var request = context.Request;
        if (request.IsHttps)
        {
            return _next(context);
        }

        foreach (var exempt in _exemptPaths)
        {
            if (request.Path.StartsWithSegments(exempt, StringComparison.OrdinalIgnoreCase))
            {
                SecureHeadersLog.RedirectExempt(_runtime.Logger, request.Path.Value ?? "/");
                return _next(context);
            }
        }

        if (string.Equals(request.Headers["X-Forwarded-Proto"], "https", StringComparison.OrdinalIgnoreCase))
        {
            // The proxy says the client used HTTPS but nobody applied it: redirecting would loop forever.
            if (!_warnedAboutForwardedProto)
            {
                _warnedAboutForwardedProto = true;
                SecureHeadersLog.ForwardedProtoNotProcessed(_runtime.Logger);
            }

            return _next(context);
        }

        var host = _canonicalHost ?? TargetHost(request.Host);
        if (host is null)
        {
            SecureHeadersLog.RedirectHostRejected(_runtime.Logger, request.Host.Value ?? string.Empty);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        if (!TryEscapeQuery(request.QueryString.Value, out var query))
        {
            SecureHeadersLog.RedirectTargetInvalid(_runtime.Logger);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        var port = _port ??= ResolvePort();
        var location = "https://" + host + port + request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + query;
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var permanent = _runtime.ForceHttps.Permanent;
        var status = safe
            ? (permanent ? StatusCodes.Status301MovedPermanently : StatusCodes.Status302Found)
            : (permanent ? StatusCodes.Status308PermanentRedirect : StatusCodes.Status307TemporaryRedirect);
        SecureHeadersLog.RedirectingToHttps(_runtime.Logger, location, status);
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }

    /// <summary>The request's host in URI form when the app is configured for it, else <see langword="null"/>.</summary>
    private string? TargetHost(HostString requestHost)
    {
        if (!requestHost.HasValue)
        {
            return null;
        }

        var host = requestHost.Host;
        foreach (var allowed in _allowedHosts)
        {
            if (string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase)
                || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.Length > allowed.Length - 1
                    && host.EndsWith(allowed.AsSpan(1), StringComparison.OrdinalIgnoreCase)))
            {
                return new HostString(host).ToUriComponent();
            }
        }

        foreach (var bound in _boundHosts ??= BoundHosts())
        {
            if (string.Equals(bound, host, StringComparison.OrdinalIgnoreCase))
            {
                return new HostString(host).ToUriComponent();
            }
        }

        return null;
    }

    /// <summary>The specific hosts the server listens on (<c>http://localhost:5000</c> names one; <c>http://+:80</c> names none).</summary>
    private string[] BoundHosts()
    {
        var hosts = new List<string>();
        if (_server?.Features.Get<IServerAddressesFeature>() is { } addresses)
        {
            foreach (var address in addresses.Addresses)
            {
                if (TryBinding(address) is { } host && host is not ("+" or "*" or "0.0.0.0" or "[::]" or "::"))
                {
                    hosts.Add(host);
                }
            }
        }

        return [.. hosts];
    }

    private static string? TryBinding(string address)
    {
        try
        {
            return BindingAddress.Parse(address).Host;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The query as it may appear in a <c>Location</c>: characters outside printable ASCII are percent-encoded as UTF-8
    /// (a browser would have sent them so); control characters make it unusable.
    /// </summary>
    private static bool TryEscapeQuery(string? query, out string escaped)
    {
        escaped = query ?? string.Empty;
        if (string.IsNullOrEmpty(query))
        {
            return true;
        }

        var clean = true;
        foreach (var c in query)
        {
            if (c is < '\x20' or '\x7F')
            {
                return false;
            }

            clean &= c is > '\x20' and < '\x7F';
        }

        if (clean)
        {
            return true;
        }

        var sb = new StringBuilder(query.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < query.Length; i++)
        {
            var c = query[i];
            if (c is > '\x20' and < '\x7F')
            {
                sb.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < query.Length && char.IsLowSurrogate(query[i + 1])
                ? Encoding.UTF8.GetBytes(query.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(query.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length])
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        escaped = sb.ToString();
        return true;
    }

    /// <summary>True for a host name (IDN in either form), an IPv4 address or a bracketed IPv6 address, without port or path.</summary>
    internal static bool IsHostName(string value) => Uri.CheckHostName(value) switch
    {
        UriHostNameType.Dns or UriHostNameType.IPv4 => true,
        UriHostNameType.IPv6 => value.StartsWith('[') && value.EndsWith(']'),
        _ => false,
    };

    /// <summary>":port" for the redirect, or empty for 443. Resolved on first use, when the server's addresses are known.</summary>
    private string ResolvePort()
    {
        var port = _runtime.ForceHttps.HttpsPort;
        if (port is null && _server?.Features.Get<IServerAddressesFeature>() is { } addresses)
        {
            foreach (var address in addresses.Addresses)
            {
                if (address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    && BindingAddress.Parse(address) is { } binding && binding.Port > 0)
                {
                    port = binding.Port;
                    break;
                }
            }
        }

        return port is null or 443 ? string.Empty : ":" + port.Value.ToString(CultureInfo.InvariantCulture);
    }
}
