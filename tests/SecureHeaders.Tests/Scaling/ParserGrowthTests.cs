namespace SecureHeaders.Tests.Scaling;

[CollectionDefinition(nameof(ParserGrowth), DisableParallelization = true)]
public sealed class ParserGrowth;

/// <summary>
/// Every parser runs in linear time and bounded memory on adversarial input (the shapes in <see cref="AdversarialInputs"/>).
/// </summary>
/// <remarks>
/// Not a timed test: nothing is compared with a fixed duration. Each case runs at two sizes ten times apart and the
/// growth is compared: linear work grows about tenfold, quadratic work a hundredfold, so a limit of forty leaves room
/// for a noisy shared machine while still catching what used to take minutes. Times are the parsing thread's CPU
/// time (other processes holding the cores do not count) minus the garbage collector's pauses (whose number jumps
/// between sizes as the heap crosses its budgets: that is the collector's policy, not the parser's work, and memory
/// is checked on its own below), the fastest of a few runs, and the tests run alone. Memory is counted exactly:
/// bytes allocated by the parsing thread, which must also grow linearly and stay within a fixed number of bytes per
/// input character. The numbers at 0.3 and 3 MB come from the scaling harness in benchmarks/.
/// </remarks>
[Collection(nameof(ParserGrowth))]
public sealed class ParserGrowthTests
{
    private const int Small = 50_000;
    private const int Large = 10 * Small;

    /// <summary>Linear growth is 10×; quadratic is 100×.</summary>
    private const double MaxTimeGrowth = 40;

    /// <summary>Below this the small run is too short for a ratio to mean anything; the large run must then stay under it times the limit.</summary>
    private static readonly TimeSpan TimeFloor = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The most bytes a parser may allocate per input character over a whole run: diagnostics and the model cost a few
    /// hundred bytes per directive; the quadratic "did you mean" table used to cost thousands per character.
    /// </summary>
    private const long MaxBytesPerChar = 1_000;

    public static TheoryData<string> Cases() => [.. AdversarialInputs.All.Select(static c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grows_linearly(string name)
    {
        var c = AdversarialInputs.All.Single(x => x.Name == name);
        c.Run(c.Make(1_000)); // warm up: JIT, static tables
        var small = c.Make(Small);
        var large = c.Make(Large);

        var (smallTime, smallBytes) = Measure(c, small, runs: 3);
        var (largeTime, largeBytes) = Measure(c, large, runs: 2);

        Assert.True(largeBytes <= MaxBytesPerChar * large.Length,
            $"{name}: {largeBytes:N0} bytes allocated for {large.Length:N0} characters (limit {MaxBytesPerChar} per character).");
        Assert.True(largeBytes <= 15 * Math.Max(smallBytes, 64 * 1024),
            $"{name}: allocations grew from {smallBytes:N0} to {largeBytes:N0} bytes for ten times the input.");
        var baseline = smallTime > TimeFloor ? smallTime : TimeFloor;
        Assert.True(largeTime <= baseline * MaxTimeGrowth,
            $"{name}: {smallTime.TotalMilliseconds:0.###} ms at {Small:N0} characters, {largeTime.TotalMilliseconds:0.###} ms at {Large:N0} (more than {MaxTimeGrowth}× growth).");
    }

    private static (TimeSpan Fastest, long Bytes) Measure(AdversarialCase c, string input, int runs)
    {
        var fastest = TimeSpan.MaxValue;
        long bytes = 0;
        for (var i = 0; i < runs; i++)
        {
            // Start from a collected heap, so that garbage of the previous run is not charged to this one.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var paused = GC.GetTotalPauseDuration();
            var start = ThreadCpuClock.Now();
            c.Run(input);
            var elapsed = ThreadCpuClock.Now() - start - (GC.GetTotalPauseDuration() - paused);
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (elapsed < fastest)
            {
                fastest = elapsed;
            }
        }

        return (fastest, bytes);
    }
}
