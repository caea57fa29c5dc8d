// Time to first response, side by side: each app is started RUNS times, in alternating order (A B, then B A), and
// the time from Process.Start to the first complete HTTPS response head is recorded (plain HTTP with --http, where the
// first response of an app with SecureHeaders' Production defaults is its HTTPS redirect). Only 127.0.0.1 is contacted;
// every start is bounded by a deadline and the app is killed after its response.
using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

var runs = 30;
var warmup = 3;
var port = 5191;
var http = false;
var apps = new List<(string Name, string Dll)>();
var expect = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--http": http = true; break;
        case "--expect-header":
            var pair = args[++i].Split('=', 2);
            expect[pair[0]] = pair[1];
            break;
        default:
            var app = args[i].Split('=', 2);
            apps.Add((app[0], Path.GetFullPath(app[1])));
            break;
    }
}

if (apps.Count < 2)
{
    Console.Error.WriteLine("usage: StartupTimer [--runs N] [--warmup N] [--port P] [--http] [--expect-header NAME=HEADER] NAME=app.dll NAME=app.dll");
    return 2;
}

// A throwaway self-signed certificate for Kestrel, as a production app would serve HTTPS.
var work = Directory.CreateTempSubdirectory("startup-timer");
var certPath = Path.Combine(work.FullName, "localhost.pfx");
using (var key = RSA.Create(2048))
{
    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    File.WriteAllBytes(certPath, cert.Export(X509ContentType.Pfx, "startup"));
}

var samples = apps.ToDictionary(a => a.Name, _ => new List<double>());
var cpuSamples = apps.ToDictionary(a => a.Name, _ => new List<double>());
try
{
    for (var run = -warmup; run < runs; run++)
    {
        var order = run % 2 == 0 ? apps : Enumerable.Reverse(apps).ToList();
        foreach (var (name, dll) in order)
        {
            var (ms, cpu, head) = TimeFirstResponse(dll, port, certPath, http);
            if (expect.TryGetValue(name, out var header) && !head.Contains("\r\n" + header + ":", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"{name}: the first response has no {header} header:\n{head}");
                return 1;
            }

            if (run >= 0)
            {
                samples[name].Add(ms);
                cpuSamples[name].Add(cpu);
            }

            Console.Error.Write(run < 0 ? "w" : ".");
        }
    }
}
finally
{
    work.Delete(recursive: true);
}

Console.Error.WriteLine();
Console.WriteLine($"Time to first HTTPS response, {runs} starts each (after {warmup} warm-up starts), interleaved:");
Console.WriteLine("| App | Median | Mean | Min | P25 | P75 | Max | CPU time (median) |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, _) in apps)
{
    var s = samples[name];
    s.Sort();
    cpuSamples[name].Sort();
    Console.WriteLine(FormattableString.Invariant($"| {name} | {Pct(s, 50):F1} ms | {s.Average():F1} ms | {s[0]:F1} ms | {Pct(s, 25):F1} ms | {Pct(s, 75):F1} ms | {s[^1]:F1} ms | {Pct(cpuSamples[name], 50):F1} ms |"));
}

var baseline = samples[apps[0].Name];
var baselineCpu = cpuSamples[apps[0].Name];
foreach (var (name, _) in apps.Skip(1))
{
    var s = samples[name];
    var c = cpuSamples[name];
    Console.WriteLine(FormattableString.Invariant($"{name} - {apps[0].Name}: {Pct(s, 50) - Pct(baseline, 50):+0.0;-0.0} ms on the medians (ratio {Pct(s, 50) / Pct(baseline, 50):F3}); CPU time {Pct(c, 50) - Pct(baselineCpu, 50):+0.0;-0.0} ms (ratio {Pct(c, 50) / Pct(baselineCpu, 50):F3})"));
}

return 0;

static double Pct(List<double> sorted, double p)
{
    var rank = p / 100 * (sorted.Count - 1);
    var lo = (int)Math.Floor(rank);
    var hi = (int)Math.Ceiling(rank);
    return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
}

static (double Ms, double CpuMs, string Head) TimeFirstResponse(string dll, int port, string certPath, bool http)
{
    var info = new ProcessStartInfo("dotnet")
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        WorkingDirectory = Path.GetDirectoryName(dll)!,
    };
    info.ArgumentList.Add(dll);
    info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    info.Environment["ASPNETCORE_URLS"] = $"{(http ? "http" : "https")}://127.0.0.1:{port}";
    if (!http)
    {
        info.Environment["Kestrel__Certificates__Default__Path"] = certPath;
        info.Environment["Kestrel__Certificates__Default__Password"] = "startup";
    }

    var stopwatch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var output = new StringBuilder();
    process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
    process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        var deadline = TimeSpan.FromSeconds(30);
        while (stopwatch.Elapsed < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{dll} exited with {process.ExitCode}:\n{output}");
            }

            var head = TryGet(port, http);
            if (head is not null)
            {
                var elapsed = stopwatch.Elapsed.TotalMilliseconds;
                var cpu = CpuMilliseconds(process.Id);
                if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) && !(http && head.StartsWith("HTTP/1.1 30", StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"{dll} answered:\n{head}");
                }

                return (elapsed, cpu, head);
            }

            Thread.Sleep(1);
        }

        throw new TimeoutException($"{dll} did not answer within {deadline}:\n{output}");
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }
}

// On-CPU time of every thread of the process so far, in nanoseconds precision (/proc/PID/task/TID/schedstat); less
// sensitive than wall time to other work on a shared machine. Threads that already exited are not counted.
static double CpuMilliseconds(int pid)
{
    double total = 0;
    foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
    {
        try
        {
            var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
            total += long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e6;
        }
        catch (IOException)
        {
            // the thread ended meanwhile
        }
    }

    return total;
}

static string? TryGet(int port, bool http)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    try
    {
        socket.Connect("127.0.0.1", port);
    }
    catch (SocketException)
    {
        return null; // not listening yet
    }

    using Stream network = new NetworkStream(socket, ownsSocket: false);
    using var tls = http ? null : new SslStream(network, false, static (_, _, _, _) => true);
    tls?.AuthenticateAsClient("localhost");
    var stream = tls ?? network;
    // Over HTTP the host is the bound address: SecureHeaders redirects only to hosts the server is bound to.
    stream.Write(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {(http ? $"127.0.0.1:{port}" : "localhost")}\r\nConnection: close\r\n\r\n"));
    var buffer = new byte[16384];
    var total = 0;
    while (total < buffer.Length)
    {
        var read = stream.Read(buffer, total, buffer.Length - total);
        if (read == 0)
        {
            break;
        }

        total += read;
        var text = Encoding.ASCII.GetString(buffer, 0, total);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end >= 0)
        {
            return text[..end];
        }
    }

    return Encoding.ASCII.GetString(buffer, 0, total);
}
