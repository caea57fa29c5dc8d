using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SecureHeaders.AspNetCore.Infrastructure;

namespace SecureHeaders.BrowserTests;

/// <summary>The showcase, started as the README's first command starts it, logs no warning: nothing the library added itself is reported.</summary>
public class ShowcaseStartupTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task A_clean_showcase_start_logs_no_warning(string environment)
    {
        using var logs = new FakeLoggerProvider();
        var database = Path.Combine(Directory.CreateTempSubdirectory("secureheaders-startup").FullName, "reports.db");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("SecureHeaders:Reporting:SqlitePath", database);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost/") });
        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        // The CSP evaluation runs in the background after startup: wait until its findings, if any, are logged.
        await factory.Services.GetRequiredService<SecureHeadersRuntime>().EvaluationCompleted;
        var warnings = logs.Collector.GetSnapshot().Where(static e => e.Level >= LogLevel.Warning && e.Category?.StartsWith("SecureHeaders", StringComparison.Ordinal) == true).Select(static e => e.Message).ToList();
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings));
    }
}
