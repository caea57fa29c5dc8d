using Microsoft.Extensions.Configuration;
using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Configuration;

/// <summary>
/// The settings of the <c>SecureHeaders</c> configuration section: the middleware's own (profile, HTTPS redirect,
/// cookies…), then every policy setting from <see cref="PolicySettings"/>, which the header descriptions supply.
/// Binding reads configuration through its providers (<see cref="ConfigNode"/>), checks every value's shape and
/// reports each problem once, at the path where it was written.
/// </summary>
internal static class SecureHeadersSettings
{
    /// <summary>The key of the reporting section, bound by SecureHeaders.Reporting.AspNetCore.</summary>
    public const string ReportingKey = "Reporting";

    private static readonly Lazy<SettingGroup<SecureHeadersOptions>> s_root = new(CreateRoot);

    /// <summary>Every setting of the section, in binding order; built on first use (an application without the section never needs it).</summary>
    public static SettingGroup<SecureHeadersOptions> Root => s_root.Value;

    /// <summary>Binds the section onto <paramref name="options"/>; problems go to <see cref="SecureHeadersOptions.BindingProblems"/>.</summary>
    /// <param name="configuration">The application's configuration.</param>
    /// <param name="options">The options to bind onto.</param>
    /// <param name="reportingEnabled">Whether SecureHeaders.Reporting.AspNetCore is registered and binds <c>SecureHeaders:Reporting</c>.</param>
    public static void Bind(IConfiguration configuration, SecureHeadersOptions options, bool reportingEnabled)
    {
        var node = ConfigNode.Read(configuration, ConfigurationPaths.Root);
        var context = new BindContext(options.BindingProblems);
        options.ReportingConfigured = false;
        switch (node.Shape)
        {
            case ConfigNodeShape.Missing:
                return;
            case ConfigNodeShape.Composite when !node.IsList:
                Root.BindObject(node, options, context);
                break;
            default:
                context.Problems.Error(node.Path, "The SecureHeaders section must be an object of settings.", "Write \"SecureHeaders\": { … }.");
                return;
        }

        if (options.ReportingConfigured && !reportingEnabled)
        {
            options.BindingProblems.Error(node.Child(ReportingKey).Path, "Reporting is configured, but violation reporting is not enabled, so these settings would be ignored.",
                "Call builder.Services.AddSecureHeadersReporting() (package SecureHeaders.Reporting.AspNetCore), or remove the section.");
        }
    }

    /// <summary>Binds a named policy's section onto a copy of the default policy.</summary>
    public static void BindPolicy(ConfigNode node, SecureHeadersPolicy policy, ConfigurationProblems problems)
    {
        var context = new BindContext(problems);
        if (node.Shape == ConfigNodeShape.Composite && !node.IsList)
        {
            PolicySettings.Group.BindObject(node, policy, context);
        }
        else if (node.Shape == ConfigNodeShape.Null)
        {
            // {} (which configuration cannot tell from null): a plain copy of the default policy.
        }
        else
        {
            problems.Error(node.Path, $"The policy {node.Key} must be an object of settings (it starts as a copy of the default policy and states what differs).",
                $"Write \"{node.Key}\": {{ \"XFrameOptions\": \"SAMEORIGIN\" }}.");
        }
    }

    private static SettingGroup<SecureHeadersOptions> CreateRoot()
    {
        var root = new SettingGroup<SecureHeadersOptions>(static () => new SecureHeadersOptions())
            .Enum("Profile", "Which profile applies: Auto (Development when the host environment is Development), Production or Development (no HTTPS redirect, no HSTS, no upgrade-insecure-requests on localhost).",
                static o => o.Profile, static (o, v) => o.Profile = v)
            .Object("ForceHttps", "Redirects plain HTTP to HTTPS (302/307, or 301/308 when Permanent); never in the Development profile.", static o => o.ForceHttps, ForceHttps(),
                ObjectShortcuts.Enabled<ForceHttpsOptions>(static (o, v) => o.Enabled = v), [(SettingKind.Boolean, "switches the redirect on or off")])
            .Object("Cookies", "Hardens every Set-Cookie: Secure on HTTPS, HttpOnly and SameSite where missing; __Host- and __Secure- prefix rules enforced.", static o => o.Cookies, Cookies(),
                ObjectShortcuts.Enabled<CookieHardeningOptions>(static (o, v) => o.Enabled = v), [(SettingKind.Boolean, "switches cookie hardening on or off")])
            .List("RemoveHeaders", "Headers removed from every response because they reveal implementation details. Setting the list replaces OWASP's 87.", static o => o.RemoveHeaders.Count > 10 ? ["OWASP's headers_remove.json (87 headers)"] : o.RemoveHeaders,
                static (o, v) => o.RemoveHeaders = v ?? [], nullClears: true)
            .Bool("RemoveServerHeader", "Switches Kestrel's Server header off at its source (middleware cannot remove it).", static o => o.RemoveServerHeader, static (o, v) => o.RemoveServerHeader = v)
            .Bool("CoverUnhandledExceptions", "Answers an exception no handler caught with a 500 that carries the headers (Kestrel's own 500 skips them).", static o => o.CoverUnhandledExceptions, static (o, v) => o.CoverUnhandledExceptions = v)
            .Bool("NonceStaticScripts", "Under a 'nonce' script policy, pages' tags that load the app's own static script files (script src, link rel=modulepreload) get the response's nonce; inline scripts never do.", static o => o.NonceStaticScripts, static (o, v) => o.NonceStaticScripts = v)
            .String("CspHashManifest", "A hash manifest written by `secureheaders csp hash --manifest FILE`, relative to the content root; its hashes join script-src and style-src.", static o => o.CspHashManifest, static (o, v) => o.CspHashManifest = string.IsNullOrEmpty(v) ? null : v)
            .Object("CspEvaluation", "Startup evaluation of the application's own policies with the CSP evaluator.", static o => o.CspEvaluation, CspEvaluation(),
                ObjectShortcuts.Enabled<CspEvaluationSettings>(static (o, v) => o.Enabled = v), [(SettingKind.Boolean, "switches the evaluation on or off")])
            .Object("ViolationReporting", "Where violation reports go; AddSecureHeadersReporting() points it at SecureHeaders' own collector.", static o => o.ViolationReporting, ViolationReporting())
            .Add(new PoliciesSetting())
            .StringMap("PathPolicies", "Named policies for paths the application does not map itself (Swagger UI, static folders): path prefix → policy name. The longest matching prefix wins; endpoint metadata still comes first.",
                static o => o.PathPolicies, "The name of a policy under Policies.")
            .Add(new ReportingSetting());
        foreach (var setting in PolicySettings.Group.Settings)
        {
            root.Add(setting);
        }

        root.Find("RemoveHeaders")!.Default = "OWASP's 87 headers";
        root.Find("CspHashManifest")!.Default = "none";
        root.Find("PathPolicies")!.Default = "none";
        return root;
    }

    private static SettingGroup<ForceHttpsOptions> ForceHttps() => new SettingGroup<ForceHttpsOptions>(static () => new ForceHttpsOptions())
        .Bool("Enabled", "Whether plain-HTTP requests are redirected (never in the Development profile).", static o => o.Enabled, static (o, v) => o.Enabled = v)
        .Bool("Permanent", "Use 301/308 instead of 302/307; browsers cache permanent redirects indefinitely, HSTS is what makes HTTPS sticky.", static o => o.Permanent, static (o, v) => o.Permanent = v)
        .OptionalInt("HttpsPort", "The HTTPS port to redirect to.", static (o, v) => o.HttpsPort = v, "the server's HTTPS port, else 443", 1, 65535)
        .List("ExemptPaths", "Path prefixes served over plain HTTP too, such as health probes (/healthz).", static o => o.ExemptPaths, static (o, v) => o.ExemptPaths = v ?? [], nullClears: true)
        .String("CanonicalHost", "The host every redirect goes to (www.example.com); unset redirects only to hosts in AllowedHosts or the server's bound addresses and answers 400 otherwise.", static o => o.CanonicalHost, static (o, v) => o.CanonicalHost = string.IsNullOrWhiteSpace(v) ? null : v);

    private static SettingGroup<CookieHardeningOptions> Cookies()
    {
        var overrides = new SettingGroup<CookieOverride>()
            .Add(new OptionalBoolSetting<CookieOverride>("Secure", "Add Secure; unset keeps the global setting.", static (o, v) => o.Secure = v))
            .Add(new OptionalBoolSetting<CookieOverride>("HttpOnly", "Add HttpOnly; unset keeps the global setting (false lets JavaScript read the cookie, e.g. XSRF-TOKEN).", static (o, v) => o.HttpOnly = v))
            .String("SameSite", "The SameSite value to add; unset keeps the global setting.", static _ => null, static (o, v) => o.SameSite = v, ["Lax", "Strict", "None"]);
        return new SettingGroup<CookieHardeningOptions>(static () => new CookieHardeningOptions())
            .Bool("Enabled", "Whether cookies are hardened.", static o => o.Enabled, static (o, v) => o.Enabled = v)
            .Bool("Secure", "Add Secure on HTTPS responses (RFC 6265bis §5.6.5).", static o => o.Secure, static (o, v) => o.Secure = v)
            .Bool("HttpOnly", "Add HttpOnly (RFC 6265bis §5.6.6).", static o => o.HttpOnly, static (o, v) => o.HttpOnly = v)
            .String("SameSite", "The SameSite value added when a cookie has none (RFC 6265bis §5.6.7).", static o => o.SameSite, static (o, v) => o.SameSite = v ?? string.Empty, ["Lax", "Strict", "None"])
            .Map("Overrides", "Per-cookie exceptions by cookie name.", static o => o.Overrides, new MapObjectSetting<CookieOverride>("What to do differently for one cookie.", overrides, static () => new CookieOverride()));
    }

    private static SettingGroup<CspEvaluationSettings> CspEvaluation() => new SettingGroup<CspEvaluationSettings>(static () => new CspEvaluationSettings())
        .Bool("Enabled", "Whether policies are evaluated at startup (high findings are logged as warnings).", static o => o.Enabled, static (o, v) => o.Enabled = v)
        .Bool("FailOnHighFindingsInProduction", "Stop startup in the Production profile when a policy has a high or syntax finding.", static o => o.FailOnHighFindingsInProduction, static (o, v) => o.FailOnHighFindingsInProduction = v);

    private static SettingGroup<ViolationReportingOptions> ViolationReporting() => new SettingGroup<ViolationReportingOptions>(static () => new ViolationReportingOptions())
        .String("Url", "The collector: an absolute https URL, or a path starting with '/'.", static o => o.Url, static (o, v) => o.Url = string.IsNullOrEmpty(v) ? null : v)
        .String("EndpointName", "The Reporting API endpoint name used in Reporting-Endpoints and report-to.", static o => o.EndpointName, static (o, v) => o.EndpointName = v ?? string.Empty)
        .Number("SampleRate", "The share of responses that carry the reporting directives, from 0 to 1.", static o => o.SampleRate, static (o, v) => o.SampleRate = v, 0, 1)
        .Bool("IdentifyPolicy", "Adds ?policy=NAME to each policy's report URL so the collector learns per policy; AddSecureHeadersReporting() turns it on.", static o => o.IdentifyPolicy, static (o, v) => o.IdentifyPolicy = v);

    /// <summary><c>Policies:&lt;name&gt;</c>: each entry is kept and bound onto a copy of the default policy once the default is complete.</summary>
    private sealed class PoliciesSetting() : Setting("Policies", SettingKind.Map, "Named policies: each starts as a copy of the default policy (after all configuration) and states what differs. Use them with [SecureHeaders(\"name\")], .WithSecureHeaders(\"name\") or PathPolicies.")
    {
        public override IReadOnlyList<Setting> Children { get; } = [new PolicyValue()];

        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            var options = (SecureHeadersOptions)owner;
            if (node.Shape != ConfigNodeShape.Composite || node.IsList)
            {
                context.WrongShape(node, this);
                return;
            }

            foreach (var child in node.Children())
            {
                options.NamedPolicySections[child.Key] = child;
            }
        }
    }

    /// <summary>Describes one named policy for the docs and the schema: the policy settings.</summary>
    private sealed class PolicyValue : Setting
    {
        public PolicyValue()
            : base("*", SettingKind.Object, "A named policy: any policy setting.") => ChildrenInTable = false;

        public override IReadOnlyList<Setting> Children => PolicySettings.Group.Settings;

        internal override void Bind(ConfigNode node, object owner, BindContext context) => throw new NotSupportedException();
    }

    /// <summary><c>SecureHeaders:Reporting</c> belongs to SecureHeaders.Reporting.AspNetCore, which binds it with its own settings.</summary>
    private sealed class ReportingSetting() : Setting(ReportingKey, SettingKind.Object, "The violation-report collector (SecureHeaders.Reporting.AspNetCore); see its settings.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context) => ((SecureHeadersOptions)owner).ReportingConfigured = true;
    }

    /// <summary>A boolean that may be left unset (<c>null</c> keeps the global setting).</summary>
    private sealed class OptionalBoolSetting<T>(string key, string summary, Action<T, bool?> set) : Setting(key, SettingKind.Boolean, summary)
        where T : class
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            if (node.Shape == ConfigNodeShape.Null)
            {
                set((T)owner, null);
            }
            else if (node.Shape == ConfigNodeShape.Scalar && bool.TryParse(node.Value!.Trim(), out var value))
            {
                set((T)owner, value);
            }
            else
            {
                context.WrongShape(node, this);
            }
        }
    }
}
