using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SecureHeaders.Reporting.AspNetCore.Tests;

public class OptionsValidationTests
{
    [Fact]
    public void Binds_from_the_configuration_section_then_applies_the_delegate()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SecureHeaders:Reporting:Path"] = "/csp",
            ["SecureHeaders:Reporting:RateLimit:BurstLimit"] = "5",
            ["SecureHeaders:Reporting:Dashboard:AllowAnonymous"] = "true",
            ["SecureHeaders:Reporting:IgnoredHosts:0"] = "*.adware.example",
        }).Build());
        services.AddSecureHeadersReporting(o => o.MaxBodyBytes = 1234);
        var o = services.BuildServiceProvider().GetRequiredService<IOptions<SecureHeadersReportingOptions>>().Value;
        Assert.Equal("/csp", o.Path);
        Assert.Equal(5, o.RateLimit.BurstLimit);
        Assert.True(o.Dashboard.AllowAnonymous);
        Assert.Equal(1234, o.MaxBodyBytes);
        Assert.Contains("*.adware.example", o.IgnoredHosts);
        Assert.Contains("chrome-extension", o.IgnoredSchemes);
    }

    [Fact]
    public async Task Invalid_options_stop_the_app_at_startup_naming_every_problem()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Services.AddSecureHeadersReporting(o =>
        {
            o.Path = "reports";
            o.EndpointName = "bad name";
            o.MaxBodyBytes = 0;
            o.RateLimit.RequestsPerSecond = -1;
            o.Retention.MaxAge = TimeSpan.Zero;
        });
        await using var app = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        var message = string.Join("\n", ex.Failures);
        Assert.Contains("SecureHeaders:Reporting:Path", message, StringComparison.Ordinal);
        Assert.Contains("SecureHeaders:Reporting:EndpointName", message, StringComparison.Ordinal);
        Assert.Contains("SecureHeaders:Reporting:MaxBodyBytes", message, StringComparison.Ordinal);
        Assert.Contains("SecureHeaders:Reporting:RateLimit:RequestsPerSecond", message, StringComparison.Ordinal);
        Assert.Contains("SecureHeaders:Reporting:Retention:MaxAge", message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        // key, value, expected path in the message
        { "SecureHeaders:Reporting:EndpointName", "MyReports", "SecureHeaders:Reporting:EndpointName: " },
        { "SecureHeaders:Reporting:Dashbord:Enabled", "false", "SecureHeaders:Reporting:Dashbord: " },
        { "SecureHeaders:Reporting:FlushInterval", "2", "SecureHeaders:Reporting:FlushInterval: " },
        { "SecureHeaders:Reporting:MaxBodyBytes", "lots", "SecureHeaders:Reporting:MaxBodyBytes: " },
        { "SecureHeaders:Reporting:RateLimit", "fast", "SecureHeaders:Reporting:RateLimit: " },
        { "SecureHeaders:Reporting:PostgreSql:ConnectionString", "Host=db", "SecureHeaders:Reporting:PostgreSql: " },
        { "SecureHeaders:Reporting:IgnoredHosts:x", "a.example", "SecureHeaders:Reporting:IgnoredHosts: " },
        { "SecureHeaders:Reporting:AppOrigins:0", "www.example.com", "SecureHeaders:Reporting:AppOrigins: " },
        { "SecureHeaders:Reporting:AppOrigins:0", "https://www.example.com/shop", "SecureHeaders:Reporting:AppOrigins: " },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_reporting_mistake_stops_startup_at_the_path_it_was_written(string key, string value, string path)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddSecureHeaders();
        builder.Services.AddSecureHeadersReporting();
        await using var app = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            app.UseSecureHeaders();
            await app.StartAsync(TestContext.Current.CancellationToken);
        });
        var message = string.Join("\n", ex.Failures);
        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains("Fix:", message, StringComparison.Ordinal);
        Assert.DoesNotContain("ViolationReporting", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_false_switches_the_page_off()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SecureHeaders:Reporting:Dashboard"] = "false",
        }).Build());
        services.AddSecureHeadersReporting();
        var o = services.BuildServiceProvider().GetRequiredService<IOptions<SecureHeadersReportingOptions>>().Value;
        Assert.False(o.Dashboard.Enabled);
    }

    [Fact]
    public void Mapping_without_the_services_explains_what_is_missing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();
        var ex = Assert.Throws<InvalidOperationException>(() => app.MapSecureHeadersReporting());
        Assert.Contains("AddSecureHeadersReporting", ex.Message, StringComparison.Ordinal);
    }
}
