using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SecureHeaders.Configuration;
using SecureHeaders.Reporting;

namespace SecureHeaders.Reporting.AspNetCore;

/// <summary>
/// The settings of <c>SecureHeaders:Reporting</c>, described once: binding (through the same configuration model as
/// the middleware, so unknown keys and wrong shapes are errors with the path as written), validation, the schema and
/// the docs come from here.
/// </summary>
internal static class ReportingSettings
{
    /// <summary>The settings, in binding order.</summary>
    public static SettingGroup<SecureHeadersReportingOptions> Group { get; } = Create();

    private static SettingGroup<SecureHeadersReportingOptions> Create()
    {
        var rateLimit = new SettingGroup<ReportingRateLimitOptions>(static () => new ReportingRateLimitOptions())
            .Bool("Enabled", "Whether the per-client limit applies.", static o => o.Enabled, static (o, v) => o.Enabled = v)
            .Int("BurstLimit", "Largest burst of requests a client may send at once.", static o => o.BurstLimit, static (o, v) => o.BurstLimit = v, 1, 1_000_000)
            .Int("RequestsPerSecond", "Requests per second a client may sustain.", static o => o.RequestsPerSecond, static (o, v) => o.RequestsPerSecond = v, 1, 1_000_000);
        var retention = new SettingGroup<ReportingRetentionOptions>(static () => new ReportingRetentionOptions())
            .Duration("MaxAge", "Violations not seen for longer than this are deleted.", static o => o.MaxAge, static (o, v) => o.MaxAge = v)
            .Int("MaxViolations", "Most violation rows kept; the least recently seen go first.", static o => o.MaxViolations, static (o, v) => o.MaxViolations = v, 1, int.MaxValue)
            .Duration("Interval", "How often retention runs in the background.", static o => o.Interval, static (o, v) => o.Interval = v);
        var dashboard = new SettingGroup<ReportingDashboardOptions>(static () => new ReportingDashboardOptions())
            .Bool("Enabled", "Whether the dashboard page is mapped (the JSON API is mapped either way).", static o => o.Enabled, static (o, v) => o.Enabled = v)
            .String("Path", "Path of the dashboard page.", static o => o.Path, static (o, v) => o.Path = v ?? string.Empty)
            .String("AuthorizationPolicy", "Authorization policy guarding the dashboard and the read API; unset uses the app's default policy (an authenticated user).", static o => o.AuthorizationPolicy, static (o, v) => o.AuthorizationPolicy = string.IsNullOrEmpty(v) ? null : v)
            .Bool("AllowAnonymous", "Opens the dashboard and the read API to anonymous users; for a Development configuration only.", static o => o.AllowAnonymous, static (o, v) => o.AllowAnonymous = v)
            .Bool("WriteContentSecurityPolicy", "Whether the dashboard response carries its own strict Content-Security-Policy.", static o => o.WriteContentSecurityPolicy, static (o, v) => o.WriteContentSecurityPolicy = v);

        var group = new SettingGroup<SecureHeadersReportingOptions>(static () => new SecureHeadersReportingOptions())
            .String("Path", "Path of the report endpoint browsers POST to; policies name it in report-uri and Reporting-Endpoints.", static o => o.Path, static (o, v) => o.Path = v ?? string.Empty)
            .String("EndpointName", "The Reporting API endpoint name (Reporting-Endpoints key and report-to token): lower-case letters, digits, '_', '-', '.'.", static o => o.EndpointName, static (o, v) => o.EndpointName = v ?? string.Empty)
            .String("ApiPath", "Prefix of the JSON API (violations, suggestion, timeline).", static o => o.ApiPath, static (o, v) => o.ApiPath = v ?? string.Empty)
            .Int("MaxBodyBytes", "Largest accepted request body; larger ones get 413 before they are buffered.", static o => o.MaxBodyBytes, static (o, v) => o.MaxBodyBytes = v, 1024, 16 * 1024 * 1024)
            .Int("MaxReportsPerRequest", "Most reports taken from one body; the rest are skipped and counted.", static o => o.MaxReportsPerRequest, static (o, v) => o.MaxReportsPerRequest = v, 1, 10_000)
            .Int("MaxJsonDepth", "Deepest JSON nesting accepted (real reports nest three levels).", static o => o.MaxJsonDepth, static (o, v) => o.MaxJsonDepth = v, 4, 256)
            .Int("QueueCapacity", "Request bodies held between the endpoint and the writer; when full the endpoint answers 503 with Retry-After.", static o => o.QueueCapacity, static (o, v) => o.QueueCapacity = v, 1, 1_000_000)
            .Duration("FlushInterval", "How often aggregated reports are written to the store; the most a hard kill can lose.", static o => o.FlushInterval, static (o, v) => o.FlushInterval = v)
            .Int("MaxPendingViolations", "Distinct fingerprints held between flushes; reaching it forces an early flush.", static o => o.MaxPendingViolations, static (o, v) => o.MaxPendingViolations = v, 1, 10_000_000)
            .List("IgnoredSchemes", "URL schemes whose reports are browser noise (extensions, internal pages). Setting the list replaces the defaults.", static o => o.IgnoredSchemes, static (o, v) => Replace(o.IgnoredSchemes, v), nullClears: true)
            .List("IgnoredHosts", "Hosts whose reports are noise; *.example.com also matches subdomains.", static o => o.IgnoredHosts, static (o, v) => Replace(o.IgnoredHosts, v), nullClears: true)
            .List("AppOrigins", "Origins of the app's own pages; a report feeds learning only when its page is on one of them or on the origin it was delivered to.", static o => o.AppOrigins, static (o, v) => Replace(o.AppOrigins, v), nullClears: true)
            .Object("RateLimit", "Per-client token bucket on the report endpoint (clients keyed by IP, IPv6 by /64).", static o => o.RateLimit, rateLimit, ObjectShortcuts.Enabled<ReportingRateLimitOptions>(static (o, v) => o.Enabled = v), [(SettingKind.Boolean, "switches the limit on or off")])
            .Object("Retention", "How long and how much the store keeps.", static o => o.Retention, retention)
            .Object("Dashboard", "The dashboard page and the read side of the JSON API.", static o => o.Dashboard, dashboard, ObjectShortcuts.Enabled<ReportingDashboardOptions>(static (o, v) => o.Enabled = v), [(SettingKind.Boolean, "switches the dashboard page on or off")])
            .String("SqlitePath", "The SQLite database used when no other store is chosen, relative to the content root.", static o => o.SqlitePath, static (o, v) => o.SqlitePath = v ?? string.Empty);
        group.Find("IgnoredSchemes")!.Default = "browser-extension and internal schemes";
        group.Find("IgnoredHosts")!.Default = "none";
        group.Find("AppOrigins")!.Default = "the origin the report was delivered to";
        return group;
    }

    /// <summary>Binds <c>SecureHeaders:Reporting</c>; problems are kept on the options and reported by <see cref="Validate"/>.</summary>
    public static void Bind(IConfiguration configuration, SecureHeadersReportingOptions options, IEnumerable<ReportingSectionClaim> claims)
    {
        var node = ConfigNode.Read(configuration, SecureHeadersReportingOptions.ConfigurationSection);
        if (!node.Exists)
        {
            return;
        }

        if (node.Shape != ConfigNodeShape.Composite || node.IsList)
        {
            options.BindingProblems.Error(node.Path, "Reporting must be an object of settings.", "Write \"Reporting\": { \"Path\": \"/_secureheaders/reports\" }.");
            return;
        }

        // Store packages bind their own subsection (SecureHeaders:Reporting:PostgreSql) when they are in use.
        var claimed = claims.Select(static c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var own = new SettingGroup<SecureHeadersReportingOptions>();
        foreach (var setting in Group.Settings)
        {
            own.Add(setting);
        }

        foreach (var key in claimed.Union(ReportingSectionClaim.KnownStores, StringComparer.OrdinalIgnoreCase))
        {
            own.Add(new StoreSetting(key, inUse: claimed.Contains(key)));
        }

        own.BindObject(node, options, new BindContext(options.BindingProblems));
    }

    /// <summary>Every binding problem and every invalid value, each at its configuration path.</summary>
    public static ValidateOptionsResult Validate(SecureHeadersReportingOptions options)
    {
        const string Section = SecureHeadersReportingOptions.ConfigurationSection;
        var problems = new ConfigurationProblems();
        foreach (var problem in options.BindingProblems.All)
        {
            problems.Add(problem);
        }

        CheckPath(problems, Section + ":Path", options.Path);
        CheckPath(problems, Section + ":ApiPath", options.ApiPath);
        CheckPath(problems, Section + ":Dashboard:Path", options.Dashboard.Path);
        if (!Headers.StructuredFields.SfSerializer.IsKey(options.EndpointName))
        {
            var lower = options.EndpointName.ToLowerInvariant();
            problems.Error(Section + ":EndpointName", $"\"{Headers.HeaderCompiler.Printable(options.EndpointName)}\" is not a Reporting-Endpoints name: lower-case letters, digits, '_', '-', '.' and '*', starting with a letter (RFC 8941 §3.1.2 key).",
                Headers.StructuredFields.SfSerializer.IsKey(lower) ? $"Use {lower}." : "Use a name such as secureheaders.");
        }

        Positive(problems, Section + ":MaxBodyBytes", options.MaxBodyBytes);
        Positive(problems, Section + ":MaxReportsPerRequest", options.MaxReportsPerRequest);
        Positive(problems, Section + ":QueueCapacity", options.QueueCapacity);
        Positive(problems, Section + ":MaxPendingViolations", options.MaxPendingViolations);
        if (options.MaxJsonDepth is < 4 or > 256)
        {
            problems.Error(Section + ":MaxJsonDepth", $"{options.MaxJsonDepth} is out of range (reports nest three levels).", "Use a whole number between 4 and 256.");
        }

        PositiveDuration(problems, Section + ":FlushInterval", options.FlushInterval, "00:00:02");
        if (options.RateLimit.Enabled)
        {
            Positive(problems, Section + ":RateLimit:BurstLimit", options.RateLimit.BurstLimit);
            Positive(problems, Section + ":RateLimit:RequestsPerSecond", options.RateLimit.RequestsPerSecond);
        }

        PositiveDuration(problems, Section + ":Retention:MaxAge", options.Retention.MaxAge, "30.00:00:00");
        PositiveDuration(problems, Section + ":Retention:Interval", options.Retention.Interval, "01:00:00");
        Positive(problems, Section + ":Retention:MaxViolations", options.Retention.MaxViolations);
        for (var i = 0; i < options.AppOrigins.Count; i++)
        {
            var origin = options.AppOrigins[i];
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/" || origin.TrimEnd('/').Length != uri.GetLeftPart(UriPartial.Authority).Length)
            {
                problems.Error(Section + ":AppOrigins", $"\"{Headers.HeaderCompiler.Printable(origin)}\" is not an origin (scheme, host and port only).", "Write origins such as https://www.example.com or https://example.com:8443.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            problems.Error(Section + ":SqlitePath", "The SQLite path is empty.", "Name a file, e.g. App_Data/secureheaders-reports.db.");
        }

        var errors = problems.All.Where(static p => p.Severity == ProblemSeverity.Error).Select(static p => p.ToString()).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Replace(IList<string> list, List<string>? values)
    {
        list.Clear();
        foreach (var value in values ?? [])
        {
            list.Add(value);
        }
    }

    private static void CheckPath(ConfigurationProblems problems, string path, string value)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/' || value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal))
        {
            problems.Error(path, $"\"{Headers.HeaderCompiler.Printable(value)}\" is not an absolute path without query or fragment.", "Start it with '/', e.g. /_secureheaders/reports.");
        }
    }

    private static void Positive(ConfigurationProblems problems, string path, int value)
    {
        if (value <= 0)
        {
            problems.Error(path, $"{value} is not greater than zero.", "Use a positive whole number.");
        }
    }

    private static void PositiveDuration(ConfigurationProblems problems, string path, TimeSpan value, string example)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Error(path, $"{value} is not a positive duration.", $"Use a duration such as {example}.");
        }
    }

    /// <summary>
    /// A store's subsection: bound by the store package when it is in use (so accepted here without looking inside),
    /// an error when it is not, because its settings would be ignored.
    /// </summary>
    private sealed class StoreSetting(string key, bool inUse) : Setting(key, SettingKind.Object, "Bound by the store package.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            if (!inUse)
            {
                context.Error(node, $"{Key} is configured, but that store is not in use, so these settings would be ignored.",
                    $"Call .Use{Key}() on AddSecureHeadersReporting() (package SecureHeaders.Reporting.{Key}), or remove the section.");
            }
        }
    }
}

/// <summary>Options wiring: binds, then validates at startup.</summary>
internal sealed class ReportingOptionsSetup(IConfiguration? configuration, IEnumerable<ReportingSectionClaim> claims)
    : IConfigureOptions<SecureHeadersReportingOptions>, IValidateOptions<SecureHeadersReportingOptions>
{
    public void Configure(SecureHeadersReportingOptions options)
    {
        if (configuration is not null)
        {
            ReportingSettings.Bind(configuration, options, claims);
        }
    }

    public ValidateOptionsResult Validate(string? name, SecureHeadersReportingOptions options) => ReportingSettings.Validate(options);
}
