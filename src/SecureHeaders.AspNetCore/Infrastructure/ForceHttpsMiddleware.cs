using System.Globalization;
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
/// proxy. The target host must be one the application accepts (AllowedHosts), so a forged Host header cannot turn
/// the redirect into an open redirect.
/// </summary>
internal sealed class ForceHttpsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SecureHeadersRuntime _runtime;
    private readonly IServer? _server;
    private readonly string[] _allowedHosts;
    private readonly bool _allowAnyHost;
    private readonly PathString[] _exemptPaths;
    private bool _warnedAboutForwardedProto;
    private string? _port;

    public ForceHttpsMiddleware(RequestDelegate next, SecureHeadersRuntime runtime, IOptions<HostFilteringOptions> hostFiltering, IServer? server = null)
    {
        _next = next;
        _runtime = runtime;
        _server = server;
        var hosts = hostFiltering.Value.AllowedHosts ?? [];
        _allowAnyHost = hosts.Count == 0 || hosts.Contains("*");
        _allowedHosts = [.. hosts];
        _exemptPaths = [.. runtime.ForceHttps.ExemptPaths.Select(static p => new PathString(p.TrimEnd('/')))];
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

        var host = request.Host;
        if (!host.HasValue || !IsAllowed(host.Host))
        {
            SecureHeadersLog.RedirectHostRejected(_runtime.Logger, host.Value ?? string.Empty);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        var port = _port ??= ResolvePort();
        var location = "https://" + host.Host + port + request.PathBase + request.Path + request.QueryString;
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

    private bool IsAllowed(string host)
    {
        if (_allowAnyHost)
        {
            return true;
        }

        foreach (var allowed in _allowedHosts)
        {
            if (string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase)
                || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

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
