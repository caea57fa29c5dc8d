using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.PostgreSql;
using SecureHeaders.Reporting.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses PostgreSQL as the violation store.</summary>
public static class PostgreSqlReportingBuilderExtensions
{
    /// <summary>
    /// Stores violations in PostgreSQL, so several app instances behind a load balancer share one store. Options are
    /// bound from <c>SecureHeaders:Reporting:PostgreSql</c>, then <paramref name="configure"/> runs.
    /// </summary>
    /// <param name="builder">The reporting builder from <c>AddSecureHeadersReporting</c>.</param>
    /// <param name="configure">Changes to the options after configuration binding.</param>
    /// <returns>The same builder.</returns>
    public static ISecureHeadersReportingBuilder UsePostgreSql(this ISecureHeadersReportingBuilder builder, Action<PostgreSqlViolationStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PostgreSqlViolationStoreOptions>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PostgreSqlViolationStoreOptions>, PostgreSqlOptionsSetup>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlViolationStoreOptions>, PostgreSqlOptionsSetup>());
        builder.Services.AddSingleton(new ReportingSectionClaim(PostgreSqlSettings.Key));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.Replace(ServiceDescriptor.Singleton<IViolationStore>(sp =>
            new PostgreSqlViolationStore(sp.GetRequiredService<IOptions<PostgreSqlViolationStoreOptions>>().Value)));
        return builder;
    }

    /// <summary>Stores violations in PostgreSQL at <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The reporting builder from <c>AddSecureHeadersReporting</c>.</param>
    /// <param name="connectionString">Npgsql connection string.</param>
    /// <returns>The same builder.</returns>
    public static ISecureHeadersReportingBuilder UsePostgreSql(this ISecureHeadersReportingBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(o => o.ConnectionString = connectionString);
    }
}
