using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.AspNetCore;
using SecureHeaders.Reporting.Sqlite;
using SecureHeaders.Reporting.AspNetCore.Api;
using SecureHeaders.Reporting.AspNetCore.Dashboard;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;
using SecureHeaders.Reporting.AspNetCore.Ingest;
using SecureHeaders.Reporting.Ingest;
using SecureHeaders.Reporting.Normalization;
using SecureHeaders.Reporting.AspNetCore.Pipeline;
using SecureHeaders.Reporting.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the violation-report collector.</summary>
public static class SecureHeadersReportingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the collector: options bound from <c>SecureHeaders:Reporting</c> (then <paramref name="configure"/>), the
    /// queue, the background writer and, unless another <see cref="IViolationStore"/> is chosen, a SQLite store under
    /// the content root. Map the endpoints with <c>app.MapSecureHeadersReporting()</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Changes to the options after configuration binding.</param>
    /// <returns>A builder to choose another store.</returns>
    public static ISecureHeadersReportingBuilder AddSecureHeadersReporting(
        this IServiceCollection services,
        Action<SecureHeadersReportingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SecureHeadersReportingOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SecureHeadersReportingOptions>, ReportingOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecureHeadersReportingOptions>, ReportingOptionsSetup>());
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddSingleton<SecureHeaders.AspNetCore.Infrastructure.ReportingRegistration>();

        // Point SecureHeaders' policies at this collector, unless the application chose another destination.
        services.AddOptions<SecureHeaders.AspNetCore.SecureHeadersOptions>()
            .PostConfigure<IOptions<SecureHeadersReportingOptions>>(static (headers, reporting) =>
            {
                if (headers.ViolationReporting.Url is not null)
                {
                    return;
                }

                SecureHeadersReportingOptions collector;
                try
                {
                    collector = reporting.Value;
                }
                catch (OptionsValidationException)
                {
                    // The collector's own validation stops startup with every problem at its path; reporting it
                    // again here, from wherever the headers options happen to be read first, would only repeat it.
                    return;
                }

                headers.ViolationReporting.Url = collector.Path;
                headers.ViolationReporting.EndpointName = collector.EndpointName;
                headers.ViolationReporting.SetBy(SecureHeadersReportingOptions.ConfigurationSection + ":Path", SecureHeadersReportingOptions.ConfigurationSection + ":EndpointName");
                // Each policy reports to a URL of its own, so the collector learns per policy.
                headers.ViolationReporting.IdentifyPolicy = true;
            });

        services.AddMetrics();
        // No AddAuthorization(): registering it makes WebApplication add the authorization middleware to every request
        // of an app that has none; the dashboard's guard works with or without the app's authorization services.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReportingMetrics>();
        services.TryAddSingleton(sp => new ReportQueue(Options(sp).QueueCapacity));
        services.TryAddSingleton(sp => new ClientRateLimiter(Options(sp).RateLimit));
        services.TryAddSingleton(sp => new NoiseFilter(Options(sp).IgnoredSchemes, Options(sp).IgnoredHosts));
        services.TryAddSingleton<ReportNormalizer>();
        services.TryAddSingleton<IAppPolicySource, SecureHeadersAppPolicySource>();
        services.TryAddSingleton<ReportAttribution>();
        services.TryAddSingleton<ReportEndpoint>();
        services.TryAddSingleton<ViolationsApi>();
        services.TryAddSingleton<LearningApi>();
        services.TryAddSingleton<DashboardAssets>();
        services.TryAddSingleton<DashboardEndpoint>();
        services.TryAddSingleton<DashboardAuthorization>();
        services.TryAddSingleton<IViolationStore>(sp =>
        {
            var path = Options(sp).SqlitePath;
            var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            return new SqliteViolationStore(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReportProcessor>());
        return new SecureHeadersReportingBuilder(services);
    }

    /// <summary>Uses a SQLite file at <paramref name="databasePath"/> (relative paths are resolved against the content root).</summary>
    /// <param name="builder">The reporting builder.</param>
    /// <param name="databasePath">Path of the database file.</param>
    /// <returns>The same builder.</returns>
    public static ISecureHeadersReportingBuilder UseSqlite(this ISecureHeadersReportingBuilder builder, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        builder.Services.Configure<SecureHeadersReportingOptions>(o => o.SqlitePath = databasePath);
        return builder;
    }

    /// <summary>Uses a custom store. It must merge writes as <see cref="IViolationStore"/> describes.</summary>
    /// <param name="builder">The reporting builder.</param>
    /// <param name="factory">Creates the store once.</param>
    /// <returns>The same builder.</returns>
    public static ISecureHeadersReportingBuilder UseStore(this ISecureHeadersReportingBuilder builder, Func<IServiceProvider, IViolationStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    private static SecureHeadersReportingOptions Options(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<SecureHeadersReportingOptions>>().Value;
}
