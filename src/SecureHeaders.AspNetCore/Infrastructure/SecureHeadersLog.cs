using Microsoft.Extensions.Logging;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// SecureHeaders' log events. Event ids are stable; hot-path events are Debug or Trace. The CSP evaluation's events
/// are in <see cref="CspEvaluationLog"/>: it runs after the first response, and this class's messages are all defined
/// when the first one is logged, at startup.
/// </summary>
internal static partial class SecureHeadersLog
{
    [LoggerMessage(1, LogLevel.Trace, "Applying SecureHeaders policy '{PolicyName}'.", EventName = "PolicyApplied")]
    public static partial void PolicyApplied(ILogger logger, string policyName);

    [LoggerMessage(2, LogLevel.Debug, "Redirecting plain-HTTP request to {Location} with status {StatusCode}.", EventName = "RedirectingToHttps")]
    private static partial void RedirectingToHttps(ILogger logger, string location, string statusCode);

    /// <summary>Event 2 (the status goes in as a string, see <see cref="Started(ILogger, SecureHeadersProfile, int)"/>).</summary>
    public static void RedirectingToHttps(ILogger logger, string location, int statusCode)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            RedirectingToHttps(logger, location, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [LoggerMessage(3, LogLevel.Debug, "Refusing to redirect to host '{Host}', which is neither in AllowedHosts nor a host the server is bound to; answering 400.", EventName = "RedirectHostRejected")]
    public static partial void RedirectHostRejected(ILogger logger, string host);

    [LoggerMessage(4, LogLevel.Warning, "A plain-HTTP request carries X-Forwarded-Proto: https, but the scheme was not updated. Call app.UseForwardedHeaders() (with your proxy in KnownProxies/KnownNetworks) before app.UseSecureHeaders(); until then SecureHeaders does not redirect such requests, to avoid a redirect loop.", EventName = "ForwardedProtoNotProcessed")]
    public static partial void ForwardedProtoNotProcessed(ILogger logger);

    [LoggerMessage(5, LogLevel.Debug, "Removed header '{HeaderName}', which leaks implementation details.", EventName = "LeakingHeaderRemoved")]
    public static partial void LeakingHeaderRemoved(ILogger logger, string headerName);

    [LoggerMessage(6, LogLevel.Warning, "Cookie '{CookieName}' breaks the rules of its {Prefix} prefix (RFC 6265bis §4.1.3); browsers would reject it. SecureHeaders fixed it: {Fix}.", EventName = "CookiePrefixFixed")]
    public static partial void CookiePrefixFixed(ILogger logger, string cookieName, string prefix, string fix);

    [LoggerMessage(7, LogLevel.Warning, "SecureHeaders runs in the Production profile without {Missing}. Browsers will not be held to HTTPS.", EventName = "ProductionWithoutHttpsProtection")]
    public static partial void ProductionWithoutHttpsProtection(ILogger logger, string missing);

    [LoggerMessage(8, LogLevel.Warning, "SecureHeaders configuration: {Problem}", EventName = "ConfigurationWarning")]
    public static partial void ConfigurationWarning(ILogger logger, string problem);

    [LoggerMessage(9, LogLevel.Debug, "Response carries a CSP nonce; Cache-Control set to no-store so that no cache serves the nonce twice.", EventName = "NonceResponseNotCacheable")]
    public static partial void NonceResponseNotCacheable(ILogger logger);

    [LoggerMessage(24, LogLevel.Warning, "{Endpoint} renders a CSP nonce into its page and asks for Cache-Control '{CacheControl}'. Browsers and shared caches would serve that nonce again, so clients get no-store; server-side caches (UseOutputCache, UseResponseCaching) keep caching the page and SecureHeaders gives each cached response a fresh nonce. To let clients cache it, serve the page under a policy without 'nonce' (hashes instead).", EventName = "NonceCacheControlReplaced")]
    public static partial void NonceCacheControlReplaced(ILogger logger, string endpoint, string cacheControl);

    [LoggerMessage(25, LogLevel.Error, "A cached response for {Path} replays a page rendered with a CSP nonce, but it is encoded ({ContentEncoding}) so its nonce cannot be renewed; its inline scripts will be blocked. Put UseResponseCompression before UseResponseCaching/UseOutputCache, or let the proxy compress.", EventName = "NonceReplayEncoded")]
    public static partial void NonceReplayEncoded(ILogger logger, string path, string contentEncoding);

    [LoggerMessage(10, LogLevel.Information, "SecureHeaders started with the {Configuration}.", EventName = "Started")]
    private static partial void Started(ILogger logger, string configuration);

    /// <summary>
    /// Event 10. Its values go in as one string: an enum or int argument costs the first log line several milliseconds
    /// of startup (enum formatting by reflection, the logging generics JIT-compiled for value types), and a single
    /// string parameter uses the logging generics the host's own startup lines already need.
    /// </summary>
    public static void Started(ILogger logger, SecureHeadersProfile profile, int policyCount)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            Started(logger, (profile == SecureHeadersProfile.Development ? "Development" : "Production") + " profile and "
                + policyCount.ToString(System.Globalization.CultureInfo.InvariantCulture) + " policies");
        }
    }

    [LoggerMessage(11, LogLevel.Debug, "Plain-HTTP request to exempt path {Path} is not redirected.", EventName = "RedirectExempt")]
    public static partial void RedirectExempt(ILogger logger, string path);

    [LoggerMessage(12, LogLevel.Trace, "Skipping SecureHeaders for an endpoint that disables it.", EventName = "Disabled")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(13, LogLevel.Warning, "Failed to apply security headers: {Reason}", EventName = "ApplyFailed")]
    public static partial void ApplyFailed(ILogger logger, string reason);

    [LoggerMessage(14, LogLevel.Error, "Unhandled exception while processing {Method} {Path}; SecureHeaders answered 500 with its headers (Kestrel's own error response would carry none).", EventName = "UnhandledException")]
    public static partial void UnhandledException(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "AddSecureHeaders() was called, but UseSecureHeaders() was not: no security headers are sent. Call app.UseSecureHeaders() first in the pipeline.", EventName = "NotEnabled")]
    public static partial void NotEnabled(ILogger logger);

    [LoggerMessage(18, LogLevel.Information, "UseSecureHeaders() was called on a pipeline branch; its middleware runs there and covers the branch's responses only.", EventName = "EnabledOnBranch")]
    public static partial void EnabledOnBranch(ILogger logger);

    // The setting goes in as a parameter, like event 10's values: a one-string event shares the logging generics the
    // host's own startup lines compile, where one without parameters JIT-compiles its own (startup cost).
    [LoggerMessage(19, LogLevel.Warning, "The HTTPS redirect does not know the application's host names: AllowedHosts is '*' (or unset) and {Setting} is not set. To avoid an open redirect it only redirects to hosts the server is bound to by name and answers other plain-HTTP requests with 400. Set AllowedHosts to the site's host names (\"AllowedHosts\": \"example.com;www.example.com\") or set that option to the one host to redirect to.", EventName = "RedirectHostsUnknown")]
    private static partial void RedirectHostsUnknown(ILogger logger, string setting);

    /// <summary>Event 19.</summary>
    public static void RedirectHostsUnknown(ILogger logger) => RedirectHostsUnknown(logger, "SecureHeaders:ForceHttps:CanonicalHost");

    [LoggerMessage(20, LogLevel.Debug, "Refusing to redirect a request whose query holds control characters; answering 400.", EventName = "RedirectTargetInvalid")]
    public static partial void RedirectTargetInvalid(ILogger logger);

    [LoggerMessage(21, LogLevel.Warning, "AllowedHosts is '*' (or unset), so the application accepts any Host header. The HTTPS redirect always goes to {CanonicalHost}, but links the application builds from the request's host (absolute URLs, password-reset mails) can be pointed at another site. Set AllowedHosts to the site's host names, e.g. \"AllowedHosts\": \"example.com;www.example.com\".", EventName = "AllowedHostsAny")]
    public static partial void AllowedHostsAny(ILogger logger, string canonicalHost);
}
