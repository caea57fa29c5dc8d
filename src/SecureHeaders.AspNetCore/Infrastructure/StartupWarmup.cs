using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// The header model's first-use work — loading its header descriptions, parsing the default preset, running the policy
/// compiler and building the lookups for the first time — done once per process on a thread-pool thread, started by
/// <c>AddSecureHeaders()</c>. It overlaps the host's own build on another core instead of adding to the time to the
/// first response. It decides nothing: the application's options are still bound, validated and compiled by
/// <see cref="RuntimeStartup"/>, which simply does what the warm-up has not finished by then.
/// </summary>
internal static class StartupWarmup
{
    private static int s_started;

    public static void Start()
    {
        // On one core it would only compete with the startup path it is meant to shorten.
        if (Environment.ProcessorCount > 1 && Interlocked.Exchange(ref s_started, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static _ => Run(), null);
        }
    }

    private static void Run()
    {
        try
        {
            var options = new SecureHeadersOptions();
            _ = PolicyCompiler.Compile(options, "default", ConfigurationPaths.Root, new ConfigurationProblems());
            _ = LeakingHeaders.ToLookup(options.RemoveHeaders);
            _ = new CookieRules(options.Cookies);
        }
#pragma warning disable CA1031 // Whatever fails here fails again on the startup path, which reports it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
