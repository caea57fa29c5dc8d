using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Builds the runtime — binding, validating and compiling the whole configuration — on a thread-pool thread, started
/// by <c>UseSecureHeaders()</c>, and then does the work that needs the built pipeline (the endpoints' policies), while
/// the host goes on starting the server: the two overlap instead of adding up in the time to the first response.
/// The host's start waits for it (<see cref="StartedAsync"/>), so a configuration mistake still stops startup with
/// every problem listed; a request that arrives before it is done waits for it.
/// </summary>
internal sealed class RuntimeStartup(IServiceProvider services) : IHostedLifecycleService
{
    private readonly Lock _lock = new();
    private readonly List<Action<SecureHeadersRuntime>> _steps = [];
    private Task<SecureHeadersRuntime>? _built;
    private Task<SecureHeadersRuntime>? _ready;

    /// <summary>The runtime being built; asking for it starts the build (once).</summary>
    public Task<SecureHeadersRuntime> Built
    {
        get
        {
            lock (_lock)
            {
                return _built ??= Task.Run(services.GetRequiredService<SecureHeadersRuntime>);
            }
        }
    }

    /// <summary>The runtime once every step is done; asking for it schedules the steps, after which none can be added.</summary>
    public Task<SecureHeadersRuntime> Ready
    {
        get
        {
            var built = Built;
            lock (_lock)
            {
                return _ready ??= Task.Run(() => RunSteps(built));
            }
        }
    }

    /// <summary>Adds work that needs the runtime and must be done before the application serves (while the pipeline is built).</summary>
    public void Then(Action<SecureHeadersRuntime> step)
    {
        lock (_lock)
        {
            if (_ready is not null)
            {
                throw new InvalidOperationException("SecureHeaders' startup steps already ran; the pipeline was built twice.");
            }

            _steps.Add(step);
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_built is null)
            {
                return Task.CompletedTask;
            }
        }

        return Ready;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<SecureHeadersRuntime> RunSteps(Task<SecureHeadersRuntime> built)
    {
        var runtime = await built.ConfigureAwait(false);
        foreach (var step in _steps)
        {
            step(runtime);
        }

        return runtime;
    }
}
