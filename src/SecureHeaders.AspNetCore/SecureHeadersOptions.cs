using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore;

/// <summary>Which environment profile SecureHeaders applies.</summary>
public enum SecureHeadersProfile
{
    /// <summary>Development when the host environment is Development, Production otherwise.</summary>
    Auto,

    /// <summary>Everything on: HTTPS redirect, HSTS, <c>upgrade-insecure-requests</c>.</summary>
    Production,

    /// <summary>
    /// As Production, except: no HTTPS redirect, no HSTS, and no <c>upgrade-insecure-requests</c> for localhost, so
    /// that a plain-HTTP dev server works and browsers do not remember HTTPS for localhost.
    /// </summary>
    Development,
}

/// <summary>
/// Options of SecureHeaders: the default policy's headers (inherited from <see cref="SecureHeadersPolicy"/>), the
/// environment profile, HTTPS redirection, cookie hardening, removal of leaking headers, and named policies.
/// Bound from the configuration section <c>SecureHeaders</c>; configuration is applied after code, so deployment
/// settings (appsettings.{Environment}.json, environment variables) override what code sets.
/// </summary>
public sealed class SecureHeadersOptions : SecureHeadersPolicy
{
    private readonly List<(string Name, Action<SecureHeadersPolicy> Configure)> _namedPolicies = [];

    /// <summary>The environment profile. Default: <see cref="SecureHeadersProfile.Auto"/>.</summary>
    public SecureHeadersProfile Profile { get; set; } = SecureHeadersProfile.Auto;

    /// <summary>Redirection of plain HTTP to HTTPS (Talisman's <c>force_https</c>).</summary>
    public ForceHttpsOptions ForceHttps { get; set; } = new();

    /// <summary>Hardening of every <c>Set-Cookie</c> header.</summary>
    public CookieHardeningOptions Cookies { get; set; } = new();

    /// <summary>
    /// Headers removed from every response because they reveal implementation details. Default: the OWASP Secure
    /// Headers Project's list (<c>headers_remove.json</c>). Setting the list in configuration replaces it.
    /// </summary>
    public IList<string> RemoveHeaders { get; set; } = [.. LeakingHeaders.Owasp];

    /// <summary>Switch off Kestrel's <c>Server</c> header at its source (middleware cannot remove it: Kestrel adds it later). Default: <see langword="true"/>.</summary>
    public bool RemoveServerHeader { get; set; } = true;

    /// <summary>
    /// Answer exceptions that no handler caught with a 500 that carries the security headers, logging the exception
    /// (event UnhandledException). Kestrel's own response to such an exception skips every OnStarting callback and
    /// so every header. Default: <see langword="true"/>; <c>UseExceptionHandler</c> still takes precedence.
    /// </summary>
    public bool CoverUnhandledExceptions { get; set; } = true;

    /// <summary>
    /// A hash manifest written by <c>secureheaders csp hash --manifest FILE</c> (path relative to the content root):
    /// the hashes of the inline scripts and styles it lists are added to every policy's <c>script-src</c> and
    /// <c>style-src</c> at startup. Default: none.
    /// </summary>
    public string? CspHashManifest { get; set; }

    /// <summary>
    /// Where violation reports go, added to every policy that names no destination itself. Set by
    /// <c>AddSecureHeadersReporting()</c> to SecureHeaders' own collector; can point at any other collector.
    /// </summary>
    public ViolationReportingOptions ViolationReporting { get; set; } = new();

    /// <summary>How the application's own content security policies are evaluated at startup.</summary>
    public CspEvaluationSettings CspEvaluation { get; set; } = new();

    /// <summary>
    /// Chooses a named policy per request when the endpoint names none (for example per tenant). Return
    /// <see langword="null"/> for the default policy. Runs when the response starts, after routing. For an asynchronous
    /// choice register an <see cref="ISecureHeadersPolicyProvider"/> instead.
    /// </summary>
    public Func<Microsoft.AspNetCore.Http.HttpContext, string?>? PolicySelector { get; set; }

    /// <summary>Named policies added in code.</summary>
    internal IReadOnlyList<(string Name, Action<SecureHeadersPolicy> Configure)> NamedPolicies => _namedPolicies;

    /// <summary>
    /// Named policies for paths the application does not map itself (Swagger UI's assets, static folders): path prefix
    /// (starting with '/') → policy name. The longest matching prefix of PathBase + Path wins; endpoint metadata comes
    /// first. Default: none.
    /// </summary>
    public IDictionary<string, string> PathPolicies { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Problems found while binding configuration, reported at startup with all others.</summary>
    internal ConfigurationProblems BindingProblems { get; } = new();

    /// <summary>Configuration sections of named policies, bound onto a copy of the default policy at startup.</summary>
    internal Dictionary<string, ConfigNode> NamedPolicySections { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether <c>SecureHeaders:Reporting</c> has settings (bound by SecureHeaders.Reporting.AspNetCore).</summary>
    internal bool ReportingConfigured { get; set; }

    /// <summary>
    /// Adds a named policy. It starts as a copy of the default policy (after all configuration is applied), so
    /// <paramref name="configure"/> only changes what differs. Use it with <c>[SecureHeaders("name")]</c> or
    /// <c>.WithSecureHeaders("name")</c>. Configuration under <c>SecureHeaders:Policies:name</c> is applied too.
    /// </summary>
    public SecureHeadersOptions AddPolicy(string name, Action<SecureHeadersPolicy> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        _namedPolicies.Add((name, configure));
        return this;
    }
}

/// <summary>
/// The startup evaluation of the application's own policies with the CSP evaluator (Google's CSP Evaluator checks
/// plus SecureHeaders' own). Findings are logged: high and syntax ones as warnings, the rest at Debug.
/// </summary>
public sealed class CspEvaluationSettings
{
    /// <summary>Whether policies are evaluated at startup. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Stop startup in the Production profile when a policy has a high or syntax finding. Default: <see langword="false"/>.</summary>
    public bool FailOnHighFindingsInProduction { get; set; }
}

/// <summary>Options for redirecting plain HTTP to HTTPS.</summary>
public sealed class ForceHttpsOptions
{
    /// <summary>Whether plain-HTTP requests are redirected (never in the Development profile). Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Use permanent redirects: 301 for GET/HEAD and 308 otherwise, instead of 302 and 307. Default:
    /// <see langword="false"/>, because browsers cache permanent redirects indefinitely; HSTS is what makes HTTPS sticky.
    /// </summary>
    public bool Permanent { get; set; }

    /// <summary>The HTTPS port to redirect to. Default: the server's HTTPS endpoint if it has one, otherwise 443.</summary>
    public int? HttpsPort { get; set; }

    /// <summary>Path prefixes served over plain HTTP too, such as health probes (<c>/healthz</c>).</summary>
    public IList<string> ExemptPaths { get; set; } = [];

    /// <summary>
    /// The host every redirect goes to, whatever <c>Host</c> the request carried, e.g. <c>www.example.com</c>
    /// (a host name or IP address, no scheme, port or path; the port comes from <see cref="HttpsPort"/>).
    /// Default <see langword="null"/>: redirect to the request's own host, but only when the application is
    /// configured for it — it matches an entry of <c>AllowedHosts</c> (host filtering), or a host the server is
    /// bound to (<c>urls</c>, Kestrel endpoints). Any other host gets 400 rather than a redirect, so a forged
    /// <c>Host</c> header can never turn the redirect into an open redirect. With <c>AllowedHosts</c> set to
    /// <c>*</c> and the server bound to all addresses, set this (or <c>AllowedHosts</c>) or plain HTTP gets 400;
    /// a warning at startup says so.
    /// </summary>
    public string? CanonicalHost { get; set; }

    internal ForceHttpsOptions Clone() => new() { Enabled = Enabled, Permanent = Permanent, HttpsPort = HttpsPort, ExemptPaths = [.. ExemptPaths], CanonicalHost = CanonicalHost };
}

/// <summary>
/// Options for hardening cookies: every <c>Set-Cookie</c> gets the attributes below unless it already states them
/// or an override says otherwise. Cookies are never weakened.
/// </summary>
public sealed class CookieHardeningOptions
{
    /// <summary>Whether cookies are hardened. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Add <c>Secure</c> on HTTPS responses (RFC 6265bis §5.6.5). Default: <see langword="true"/>.</summary>
    public bool Secure { get; set; } = true;

    /// <summary>Add <c>HttpOnly</c> (RFC 6265bis §5.6.6). Default: <see langword="true"/>.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>The <c>SameSite</c> value added when a cookie has none: <c>Lax</c>, <c>Strict</c> or <c>None</c> (RFC 6265bis §5.6.7). Default: <c>Lax</c>.</summary>
    public string SameSite { get; set; } = "Lax";

    /// <summary>
    /// Per-cookie exceptions by cookie name, e.g. <c>XSRF-TOKEN</c> with <c>HttpOnly = false</c> so that a
    /// JavaScript client can read it.
    /// </summary>
    public IDictionary<string, CookieOverride> Overrides { get; set; } = new Dictionary<string, CookieOverride>(StringComparer.Ordinal);
}

/// <summary>What to do differently for one cookie.</summary>
public sealed class CookieOverride
{
    /// <summary>Add <c>Secure</c>; <see langword="null"/> keeps the global setting.</summary>
    public bool? Secure { get; set; }

    /// <summary>Add <c>HttpOnly</c>; <see langword="null"/> keeps the global setting.</summary>
    public bool? HttpOnly { get; set; }

    /// <summary>The <c>SameSite</c> value to add; <see langword="null"/> keeps the global setting.</summary>
    public string? SameSite { get; set; }
}
