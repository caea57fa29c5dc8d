using Microsoft.Extensions.DependencyInjection;

namespace SecureHeaders.Reporting;

/// <summary>Returned by <c>AddSecureHeadersReporting</c> to choose a store (for example <c>UsePostgreSql</c>).</summary>
public interface ISecureHeadersReportingBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

internal sealed class SecureHeadersReportingBuilder(IServiceCollection services) : ISecureHeadersReportingBuilder
{
    public IServiceCollection Services { get; } = services;
}
