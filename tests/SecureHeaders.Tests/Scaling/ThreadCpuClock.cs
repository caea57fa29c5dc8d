using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SecureHeaders.Tests.Scaling;

/// <summary>
/// CPU time of the calling thread: unlike wall time it does not grow while other processes on a shared machine
/// hold the cores. Linux reads <c>CLOCK_THREAD_CPUTIME_ID</c>; elsewhere it falls back to the wall clock.
/// </summary>
public static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static TimeSpan Now()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0)
        {
            return TimeSpan.FromTicks((ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100));
        }

        return TimeSpan.FromTicks(Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
}
