namespace SecureHeaders.Reporting.AspNetCore.Pipeline;

/// <summary>
/// When to try a failing store again: 1 s after the first failure, doubling up to 30 s, so that a database that is
/// down for minutes sees a handful of attempts, not a loop, and one that is back is used again within 30 s.
/// </summary>
internal sealed class StoreRetry(TimeProvider time)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Failed attempts since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>The wait before the next attempt.</summary>
    public TimeSpan Delay { get; private set; }

    /// <summary>The earliest instant of the next attempt.</summary>
    public DateTimeOffset NextAttempt { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>When the current run of failures began.</summary>
    public DateTimeOffset FailingSince { get; private set; }

    public bool IsFailing => Failures > 0;

    public bool IsDue(DateTimeOffset now) => now >= NextAttempt;

    /// <summary>Records a failure and schedules the next attempt; returns the number of failures in a row.</summary>
    public int Failed()
    {
        var now = time.GetUtcNow();
        if (Failures == 0)
        {
            FailingSince = now;
        }

        Failures++;
        Delay = Failures == 1 ? FirstDelay : (Delay * 2 < MaxDelay ? Delay * 2 : MaxDelay);
        NextAttempt = now + Delay;
        return Failures;
    }

    public void Succeeded()
    {
        Failures = 0;
        Delay = TimeSpan.Zero;
        NextAttempt = DateTimeOffset.MinValue;
    }
}
