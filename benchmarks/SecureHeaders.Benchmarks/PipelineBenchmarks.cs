using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using SecureHeaders.AspNetCore;
using SecureHeaders.AspNetCore.Infrastructure;

namespace SecureHeaders.Benchmarks;

/// <summary>
/// Per-request cost of security headers on an HTTPS GET, measured on a DefaultHttpContext whose response feature
/// fires OnStarting: a bare pipeline; a hand-written middleware that sets our default headers as constants;
/// SecureHeaders' defaults; NetEscapades 1.3.1 defaults; and the same for a strict nonce-based CSP.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PipelineBenchmarks
{
    private readonly DefaultHttpContext _context = new();
    private readonly FiringResponseFeature _feature = new();
    private RequestDelegate _bare = null!;
    private RequestDelegate _handWritten = null!;
    private RequestDelegate _handWrittenOnStarting = null!;
    private RequestDelegate _secureHeaders = null!;
    private RequestDelegate _netEscapades = null!;
    private RequestDelegate _handWrittenStrict = null!;
    private RequestDelegate _secureHeadersNonce = null!;
    private RequestDelegate _netEscapadesNonce = null!;

    [GlobalSetup]
    public void Setup()
    {
        _context.Features.Set<IHttpResponseFeature>(_feature);
        _context.Request.Scheme = "https";
        _context.Request.Host = new HostString("example.com");
        _context.Request.Method = "GET";
        _context.Request.Path = "/";

        RequestDelegate terminal = static _ => Task.CompletedTask;
        _bare = terminal;

        _secureHeaders = Ours(_ => { });
        _secureHeadersNonce = Ours(o => o.ContentSecurityPolicy.Clear()
            .Set("script-src", "'nonce'", "'strict-dynamic'").Set("object-src", "'none'").Set("base-uri", "'none'"));

        // The hand-written baselines set exactly what SecureHeaders produced, as constants.
        var defaults = Capture(_secureHeaders);
        _handWritten = HandWritten(defaults);
        _handWrittenOnStarting = HandWrittenOnStarting(defaults);
        _handWrittenStrict = HandWritten(Capture(_secureHeadersNonce));

        _netEscapades = NetEscapades(static policies => policies.AddDefaultSecurityHeaders());
        _netEscapadesNonce = NetEscapades(static policies => policies.AddDefaultSecurityHeaders().AddContentSecurityPolicy(csp =>
        {
            csp.AddScriptSrc().WithNonce().StrictDynamic();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
        }));
    }

    [Benchmark(Baseline = true)]
    public Task Bare() => Run(_bare);

    [Benchmark]
    public Task HandWritten() => Run(_handWritten);

    /// <summary>Not a target's baseline: the same constants written in OnStarting, as SecureHeaders writes them, to show what that costs.</summary>
    [Benchmark]
    public Task HandWrittenOnStarting() => Run(_handWrittenOnStarting);

    [Benchmark]
    public Task SecureHeadersDefaults() => Run(_secureHeaders);

    [Benchmark]
    public Task NetEscapadesDefaults() => Run(_netEscapades);

    [Benchmark]
    public Task HandWrittenStrictCsp() => Run(_handWrittenStrict);

    [Benchmark]
    public Task SecureHeadersNonce() => Run(_secureHeadersNonce);

    [Benchmark]
    public Task NetEscapadesNonce() => Run(_netEscapadesNonce);

    private Task Run(RequestDelegate pipeline)
    {
        _context.Response.Headers.Clear();
        _feature.Reset();
        var task = pipeline(_context);
        return task.IsCompletedSuccessfully ? _feature.FireOnStarting() : Slow(task);

        async Task Slow(Task pending)
        {
            await pending.ConfigureAwait(false);
            await _feature.FireOnStarting().ConfigureAwait(false);
        }
    }

    private static RequestDelegate Ours(Action<SecureHeadersOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new BenchmarkEnvironment());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSecureHeaders(configure);
        var runtime = services.BuildServiceProvider().GetRequiredService<SecureHeadersRuntime>();
        return new SecureHeadersMiddleware(static _ => Task.CompletedTask, runtime, branch: false).Invoke;
    }

    private static RequestDelegate NetEscapades(Action<HeaderPolicyCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSecurityHeaderPolicies();
        var app = new ApplicationBuilder(services.BuildServiceProvider());
        var policies = new HeaderPolicyCollection();
        configure(policies);
        app.UseSecurityHeaders(policies);
        app.Run(static _ => Task.CompletedTask);
        return app.Build();
    }

    private (string Name, StringValues Value)[] Capture(RequestDelegate pipeline)
    {
        Run(pipeline).GetAwaiter().GetResult();
        return [.. _context.Response.Headers.Select(static h => (h.Key, h.Value))];
    }

    private static RequestDelegate HandWritten((string Name, StringValues Value)[] headers) => context =>
    {
        var responseHeaders = context.Response.Headers;
        foreach (var (name, value) in headers)
        {
            responseHeaders[name] = value;
        }

        return Task.CompletedTask;
    };

    private static RequestDelegate HandWrittenOnStarting((string Name, StringValues Value)[] headers)
    {
        // The same writes, from a cached callback with the HttpContext as state: no allocation per request, like ours.
        var write = HandWritten(headers);
        Func<object, Task> onStarting = state => write((HttpContext)state);
        return context =>
        {
            context.Response.OnStarting(onStarting, context);
            return Task.CompletedTask;
        };
    }

    private sealed class BenchmarkEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "benchmarks";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
