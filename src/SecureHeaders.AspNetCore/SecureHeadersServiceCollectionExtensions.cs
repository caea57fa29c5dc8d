using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SecureHeaders.AspNetCore;
using SecureHeaders.AspNetCore.Configuration;
using SecureHeaders.AspNetCore.Infrastructure;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SecureHeaders.</summary>
public static class SecureHeadersServiceCollectionExtensions
{
    /// <summary>The configuration section SecureHeaders binds.</summary>
    public const string ConfigurationSection = "SecureHeaders";

    /// <summary>
    /// Adds SecureHeaders with safe defaults. Options come from <paramref name="configure"/> and then from the
    /// <c>SecureHeaders</c> configuration section (which wins, so deployments can adjust without recompiling).
    /// Everything is validated when the application starts; a mistake stops it with every problem listed.
    /// Pair it with <c>app.UseSecureHeaders()</c>.
    /// </summary>
    public static IServiceCollection AddSecureHeaders(this IServiceCollection services, Action<SecureHeadersOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        StartupWarmup.Start();
        var builder = services.AddOptions<SecureHeadersOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.Configure<IServiceProvider>(static (options, provider) =>
        {
            if (provider.GetService<IConfiguration>() is { } configuration)
            {
                SecureHeadersSettings.Bind(configuration, options, reportingEnabled: provider.GetService<ReportingRegistration>() is not null);
            }
        });

        services.TryAddSingleton<SecureHeadersRuntime>();
        services.TryAddSingleton<RuntimeStartup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RuntimeStartup>(static provider => provider.GetRequiredService<RuntimeStartup>()));
        var startupFilter = ServiceDescriptor.Transient<IStartupFilter, SecureHeadersStartupFilter>();
        if (BrowserRefresh.Active && !services.Any(static d => d.ImplementationType == typeof(SecureHeadersStartupFilter)))
        {
            // Under dotnet watch, wrap its browser-refresh middleware (registered earlier by a hosting startup), so the
            // script tag it injects passes through the nonce scanner.
            services.Insert(0, startupFilter);
        }
        else
        {
            services.TryAddEnumerable(startupFilter);
        }
        services.TryAddSingleton<KestrelServerHeader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelServerHeader>(static provider => provider.GetRequiredService<KestrelServerHeader>()));
        return services;
    }
}
