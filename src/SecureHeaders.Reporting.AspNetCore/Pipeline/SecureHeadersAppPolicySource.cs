using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureHeaders.AspNetCore.Infrastructure;

namespace SecureHeaders.Reporting.AspNetCore.Pipeline;

/// <summary>
/// Reads the policies SecureHeaders compiled for this app (default, named and endpoint policies) from its runtime.
/// Without <c>AddSecureHeaders()</c> the app has none of its own and this source knows nothing.
/// </summary>
internal sealed class SecureHeadersAppPolicySource(IServiceProvider services, TimeProvider time) : IAppPolicySource
{
    private readonly Lazy<SecureHeadersRuntime?> _runtime = new(services.GetService<SecureHeadersRuntime>);
    private readonly IHostApplicationLifetime? _lifetime = services.GetService<IHostApplicationLifetime>();

    // Endpoint policies are compiled when the pipeline is built, which happens as the host starts.
    public bool IsReady => _lifetime is null || _lifetime.ApplicationStarted.IsCancellationRequested;

    public bool Knows(string name)
    {
        if (_runtime.Value is not { } runtime)
        {
            return false;
        }

        foreach (var policy in runtime.CompiledPolicies())
        {
            if (string.Equals(policy.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public AppPolicySnapshot Current()
    {
        if (_runtime.Value is not { } runtime)
        {
            return AppPolicySnapshot.Empty;
        }

        var policies = new List<AppPolicy>();
        var seen = new HashSet<(string, string)>();
        foreach (var compiled in runtime.CompiledPolicies())
        {
            if (compiled.ContentSecurityPolicy is { } enforced && seen.Add((compiled.Name, "enforce")))
            {
                policies.Add(new AppPolicy(compiled.Name, "enforce", enforced.Policy.ToString()));
            }

            // Reports say "report" for any Report-Only policy; with two of them the first one is the candidate.
            if (compiled.ReportOnlyPolicies.Length > 0 && seen.Add((compiled.Name, "report")))
            {
                policies.Add(new AppPolicy(compiled.Name, "report", compiled.ReportOnlyPolicies[0].Policy.ToString()));
            }
        }

        return new AppPolicySnapshot(policies, runtime.HashManifest is { } manifest ? AppInlineHash.FromManifest(manifest) : [], time.GetUtcNow());
    }
}
