using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Process;

/// <summary>
/// The collector running in a process of its own (tests/SecureHeaders.Reporting.TestHost), so that a test can kill it
/// the hard way, stop it with SIGTERM as a service manager does, or read its peak memory.
/// </summary>
internal sealed class CollectorProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private CollectorProcess(System.Diagnostics.Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static bool Supported => OperatingSystem.IsLinux();

    public static async Task<CollectorProcess> StartAsync(string database, TimeSpan flushInterval, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostPath());
        start.ArgumentList.Add("--SecureHeaders:Reporting:SqlitePath=" + database);
        start.ArgumentList.Add("--SecureHeaders:Reporting:FlushInterval=" + flushInterval.ToString("c", CultureInfo.InvariantCulture));
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = System.Diagnostics.Process.Start(start)!;
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return new CollectorProcess(process, new Uri(line["LISTENING ".Length..]));
            }
        }

        process.Kill();
        throw new InvalidOperationException("The collector process ended before it listened.");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as systemd, Docker and Kubernetes stop a service: the host shuts down gracefully.</summary>
    public async Task TerminateAsync()
    {
        Assert.Equal(0, SendSignal(_process.Id, 15));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>The peak resident set size so far (<c>VmHWM</c> in /proc), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmHWM in /proc.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>tests/SecureHeaders.Reporting.TestHost's build output, next to this test project's (same configuration).</summary>
    private static string HostPath()
    {
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = here.Replace("SecureHeaders.Reporting.AspNetCore.Tests", "SecureHeaders.Reporting.TestHost", StringComparison.Ordinal);
        var dll = Path.Combine(path, "SecureHeaders.Reporting.TestHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build tests/SecureHeaders.Reporting.TestHost first.", dll);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
