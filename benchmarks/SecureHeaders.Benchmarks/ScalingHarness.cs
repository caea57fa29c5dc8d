using System.Diagnostics;
using System.Globalization;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Tests.Scaling;

namespace SecureHeaders.Benchmarks;

/// <summary>
/// On-demand check that every parser stays linear on adversarial input: each case runs once per size in a child
/// process of its own (so a runaway case can be killed at the deadline without disturbing the others) and reports
/// the CPU time of the run (all threads, the garbage collector's included; unlike wall time it does not grow while
/// other processes hold the cores), allocated bytes and peak working set. Not a BenchmarkDotNet run: some of the cases it exists for took
/// minutes before the fix, which no statistical harness can sample.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/SecureHeaders.Benchmarks -- scaling [filter] [--sizes 300000,3000000] [--timeout 60]</c>
/// </remarks>
internal static class ScalingHarness
{
    private static IReadOnlyList<AdversarialCase> Cases { get; } =
    [
        .. AdversarialInputs.All,

        // The analysis path a scan takes: every Set-Cookie line, CSP and Permissions-Policy through the checks and the Observatory grader.
        new("analysis/set-cookie-lines", n => string.Join('\n', Lines(n, i => "c" + i.ToString(CultureInfo.InvariantCulture) + "=v; Path=/; Secure")), s => Analyze("Set-Cookie", s)),
        new("analysis/csp-unknown-directives", n => AdversarialInputs.Repeat(n, i => "x" + i.ToString(CultureInfo.InvariantCulture) + " a; "), s => Analyze("Content-Security-Policy", s)),
        new("analysis/csp-many-hosts", n => AdversarialInputs.Repeat(n, i => "h" + i.ToString(CultureInfo.InvariantCulture) + ".example.com ", "script-src "), s => Analyze("Content-Security-Policy", s)),
        new("analysis/permissions-policy-features", n => AdversarialInputs.Repeat(n, i => "f" + i.ToString(CultureInfo.InvariantCulture) + "=(), "), s => Analyze("Permissions-Policy", s)),
    ];

    private static IEnumerable<string> Lines(int size, Func<int, string> line)
    {
        var total = 0;
        for (var i = 0; total < size; i++)
        {
            var l = line(i);
            total += l.Length + 1;
            yield return l;
        }
    }

    private static void Analyze(string header, string value)
    {
        var lines = header == "Set-Cookie" ? value.Split('\n') : [value];
        var set = new HeaderSet([.. lines.Select(l => new HttpHeader(header, l)), new HttpHeader("Content-Type", "text/html")]) { Url = new Uri("https://example.com/") };
        GC.KeepAlive(SecurityAnalyzer.Analyze(SiteSnapshot.FromHeaderSet(set, url: set.Url)));
    }

    public static int Run(string[] args)
    {
        if (args.Length >= 3 && args[0] == "scaling-one")
        {
            return RunOne(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        }

        var filter = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !char.IsAsciiDigit(a[0]));
        var sizes = Option(args, "--sizes")?.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? [300_000, 3_000_000];
        var timeout = TimeSpan.FromSeconds(double.Parse(Option(args, "--timeout") ?? "60", CultureInfo.InvariantCulture));

        Console.WriteLine("CPU time per run (deadline: wall time).");
        Console.WriteLine();
        Console.WriteLine($"| case | {string.Join(" | ", sizes.Select(Size))} | ratio (last/first) | wall at {Size(sizes[^1])} | allocated at {Size(sizes[^1])} | peak working set at {Size(sizes[^1])} |");
        Console.WriteLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", sizes.Length + 4)));
        foreach (var c in Cases.Where(c => filter is null || c.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var times = new List<double?>();
            var walls = new List<double?>();
            (long Allocated, long Peak)? last = null;
            foreach (var size in sizes)
            {
                if (times.Count > 0 && times[^1] is null)
                {
                    times.Add(null); // the smaller size already ran past the deadline
                    walls.Add(null);
                    continue;
                }

                var result = Child(c.Name, size, timeout);
                times.Add(result?.Seconds);
                walls.Add(result?.Wall);
                last = result is null ? null : (result.Value.Allocated, result.Value.Peak);
            }

            var ratio = times[0] is { } first && times[^1] is { } end && first > 0 ? (end / first).ToString("0.0", CultureInfo.InvariantCulture) + "×" : "-";
            Console.WriteLine($"| {c.Name} | {string.Join(" | ", times.Select(t => t is null ? $"> {timeout.TotalSeconds:0} s" : Seconds(t.Value)))} | {ratio} | " +
                $"{(walls[^1] is { } w ? Seconds(w) : "-")} | {(last is { } l ? Bytes(l.Allocated) : "-")} | {(last is { } p ? Bytes(p.Peak) : "-")} |");
        }

        return 0;
    }

    private static (double Seconds, long Allocated, long Peak, double Wall)? Child(string name, int size, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under the `dotnet` host the assembly is the first argument; the apphost (SecureHeaders.Benchmarks, whose
        // ".Benchmarks" looks like an extension to Path) needs none.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(ScalingHarness).Assembly.Location); // running under `dotnet`
        }

        start.ArgumentList.Add("scaling-one");
        start.ArgumentList.Add(name);
        start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return null;
        }

        var parts = output.Result.Trim().Split(' ');
        return parts.Length == 4
            ? (double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture),
                double.Parse(parts[3], CultureInfo.InvariantCulture))
            : null;
    }

    private static int RunOne(string name, int size)
    {
        var c = Cases.Single(c => c.Name == name);
        c.Run(c.Make(1_000)); // JIT and static data out of the way
        var input = c.Make(size);
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        c.Run(input);
        var wallSeconds = wall.Elapsed.TotalSeconds;
        self.Refresh();
        var seconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:0.######} {allocated} {self.PeakWorkingSet64} {wallSeconds:0.######}"));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Size(int chars) => chars >= 1_000_000
        ? (chars / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : (chars / 1e3).ToString("0", CultureInfo.InvariantCulture) + " kB";

    private static string Seconds(double s) => s < 1 ? (s * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms" : s.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Bytes(long b) => b >= 1 << 30
        ? (b / (double)(1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
        : (b / (double)(1 << 20)).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
