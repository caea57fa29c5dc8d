using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.Configuration;
using SecureHeaders.Csp;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>The CSP engine inside the middleware: presets, the hash manifest and the startup evaluation.</summary>
public class CspIntegrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Preset_from_configuration_with_directive_overrides()
    {
        await using var app = await TestApp.StartAsync(settings: new()
        {
            ["SecureHeaders:ContentSecurityPolicy:Preset"] = "StrictWithBasic",
            ["SecureHeaders:ContentSecurityPolicy:Directives:img-src"] = "'self' https://img.example.com",
        });
        var response = await app.Https().GetAsync("/", Ct);

        var csp = CspPolicy.Parse(response.Header("Content-Security-Policy")!);
        Assert.Equal("'self' https://img.example.com", string.Join(' ', csp.Find("img-src")!.Values));
        Assert.Contains(CspSource.StrictDynamic, csp.Find("script-src")!.Values);
        Assert.Contains(csp.Find("script-src")!.Values, v => v.Kind == CspSourceKind.Nonce);
    }

    [Fact]
    public async Task Hash_manifest_adds_build_time_hashes_to_script_src()
    {
        var hash = CspSource.HashOf("console.log('inline')");
        var manifest = Path.Combine(Directory.CreateTempSubdirectory("secureheaders-manifest").FullName, "csp-hashes.json");
        await File.WriteAllTextAsync(manifest, $$"""
            { "version": 1, "algorithm": "sha256",
              "scripts": [ { "file": "Pages/Index.cshtml", "line": 3, "hash": "{{hash.Text}}" } ],
              "styles": [], "attributes": [] }
            """, Ct);
        await using var app = await TestApp.StartAsync(o =>
        {
            o.CspHashManifest = manifest;
            o.ContentSecurityPolicy.Set("script-src", "'self'");
        });

        var response = await app.Https().GetAsync("/", Ct);

        Assert.Contains($"script-src 'self' {hash.Text}", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_evaluation_logs_high_findings_as_warnings()
    {
        await using var app = await TestApp.StartAsync(
            o => o.ContentSecurityPolicy.Set("script-src", "'self'", "'unsafe-inline'"),
            builder: b => b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));

        // The evaluation runs in the background, after startup; its findings are logged when it is done.
        await app.Services.GetRequiredService<SecureHeadersRuntime>().EvaluationCompleted;
        var records = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        var warning = Assert.Single(records, r => r.Id.Name == "CspFinding" && r.Message.Contains("script-unsafe-inline", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(15, warning.Id.Id);
        var done = Assert.Single(records, r => r.Id.Name == "CspEvaluationCompleted");
        Assert.Equal(22, done.Id.Id);
    }

    [Fact]
    public async Task Startup_evaluation_waits_for_the_first_response()
    {
        var clock = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(
            o => o.ContentSecurityPolicy.Set("script-src", "'self'", "'unsafe-inline'"),
            builder: b =>
            {
                b.Services.AddSingleton<TimeProvider>(clock);
                b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
            });
        var runtime = app.Services.GetRequiredService<SecureHeadersRuntime>();
        var logs = app.Services.GetRequiredService<FakeLogCollector>();

        // Started, listening, no response yet: the evaluator has not run (it would compete with the first request).
        Assert.True(runtime.EvaluationWaiting);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name is "CspFinding" or "CspEvaluationCompleted");

        (await app.Https().GetAsync("/", Ct)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (runtime.EvaluationWaiting && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }

        Assert.False(runtime.EvaluationWaiting);
        await runtime.EvaluationCompleted;
        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "CspFinding" && r.Message.Contains("script-unsafe-inline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_evaluation_runs_after_a_delay_when_no_request_comes()
    {
        var clock = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(
            o => o.ContentSecurityPolicy.Set("script-src", "'self'", "'unsafe-inline'"),
            builder: b => b.Services.AddSingleton<TimeProvider>(clock));
        var runtime = app.Services.GetRequiredService<SecureHeadersRuntime>();

        clock.Advance(SecureHeadersRuntime.EvaluationDelay - TimeSpan.FromMilliseconds(1));
        Assert.True(runtime.EvaluationWaiting);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(runtime.EvaluationWaiting);
    }

    [Fact]
    public async Task Named_policies_are_evaluated_in_the_background_without_repeating_the_default_findings()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.ContentSecurityPolicy.Set("script-src", "'self'", "'unsafe-inline'");
                o.AddPolicy("widget", p => p.ContentSecurityPolicy.Set("style-src", "'self'", "'unsafe-inline'"));
            },
            builder: b => b.Logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));

        await app.Services.GetRequiredService<SecureHeadersRuntime>().EvaluationCompleted;
        var records = app.Services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        Assert.Single(records, r => r.Id.Name == "CspFinding" && r.Message.Contains("script-unsafe-inline", StringComparison.Ordinal));
        Assert.Equal(2, records.Count(r => r.Id.Name == "CspEvaluationCompleted"));
    }

    [Fact]
    public async Task High_findings_can_stop_startup_in_production()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(o =>
        {
            o.CspEvaluation.FailOnHighFindingsInProduction = true;
            o.ContentSecurityPolicy.Set("script-src", "*");
        }));

        Assert.Contains(ex.Problems, p => p.Path == "SecureHeaders:ContentSecurityPolicy");
    }
}
