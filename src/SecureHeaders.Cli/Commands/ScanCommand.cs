using System.CommandLine;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Fetching;

namespace SecureHeaders.Cli.Commands;

/// <summary>
/// <c>secureheaders scan URL... [--json|--sarif|--markdown] [--fail-under GRADE] [--ca-cert FILE] [--insecure]
/// [--http-port N] [--https-port N] [--concurrency N] [--timeout SECONDS]</c>: fetches each site like Mozilla HTTP
/// Observatory (http:// and https://, redirects, HTML, CORS preflight), grades it and adds our findings.
/// Exit codes: 0 ok, 1 a grade below --fail-under, 2 bad usage or a site that could not be fetched or graded.
/// </summary>
internal static class ScanCommand
{
    internal sealed record Settings(
        IReadOnlyList<string> Urls,
        ScanOutput.Format Format,
        string? FailUnder,
        bool Color,
        string? CaCert,
        bool Insecure,
        int? HttpPort,
        int? HttpsPort,
        int Concurrency,
        TimeSpan Timeout,
        bool Progress);

    public static Command Create()
    {
        var urls = new Argument<string[]>("URL") { Description = "Sites to scan (https://example.com/, or a bare host name).", Arity = ArgumentArity.OneOrMore };
        var caCert = new Option<string?>("--ca-cert") { Description = "Trust this CA or self-signed certificate (PEM or DER), e.g. the ASP.NET Core dev certificate." };
        var insecure = new Option<bool>("--insecure") { Description = "Do not verify TLS certificates (the report says so)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Port for http:// (default: the URL's port, else 80)." };
        var httpsPort = new Option<int?>("--https-port") { Description = "Port for https:// (default: the URL's port, else 443)." };
        var concurrency = new Option<int>("--concurrency") { Description = "How many sites to scan at once.", DefaultValueFactory = _ => 4 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one scheme's fetch may take, redirects included.", DefaultValueFactory = _ => 10 };
        var command = new Command("scan", "Fetch sites, grade them like Mozilla HTTP Observatory 1.4.8 and explain what to fix.")
        {
            urls, caCert, insecure, httpPort, httpsPort, concurrency, timeout,
        };
        var output = ScanOutput.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var usage = ScanOutput.Read(parse, output, out var format, out var failUnder);
            if (usage is not null)
            {
                await stderr.WriteLineAsync(usage).ConfigureAwait(false);
                return ScanOutput.Error;
            }

            var settings = new Settings(parse.GetValue(urls) ?? [], format, failUnder, ScanOutput.UseColor(parse.GetValue(output.NoColor), stdout),
                parse.GetValue(caCert), parse.GetValue(insecure), parse.GetValue(httpPort), parse.GetValue(httpsPort),
                parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(timeout)), !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error));
            return await RunAsync(settings, stdout, stderr, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(Settings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var targets = new List<Uri>();
        foreach (var raw in settings.Urls)
        {
            var text = raw.Contains("://", StringComparison.Ordinal) ? raw : "https://" + raw;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            {
                await error.WriteLineAsync($"\"{raw}\" is not an http(s) URL or host name.").ConfigureAwait(false);
                return ScanOutput.Error;
            }

            targets.Add(uri);
        }

        if (settings.Concurrency < 1 || settings.HttpPort is < 1 or > 65535 || settings.HttpsPort is < 1 or > 65535 || settings.Timeout <= TimeSpan.Zero)
        {
            await error.WriteLineAsync("--concurrency and --timeout must be positive and ports between 1 and 65535.").ConfigureAwait(false);
            return ScanOutput.Error;
        }

        var options = new FetchOptions
        {
            Insecure = settings.Insecure,
            HttpPort = settings.HttpPort,
            HttpsPort = settings.HttpsPort,
            Timeout = settings.Timeout,
            RequestTimeout = settings.Timeout * 0.9,
        };
        if (settings.CaCert is not null)
        {
            try
            {
                options.TrustCertificateFile(settings.CaCert);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException)
            {
                await error.WriteLineAsync($"--ca-cert {settings.CaCert}: {e.Message}").ConfigureAwait(false);
                return ScanOutput.Error;
            }
        }

        using var fetcher = new SiteFetcher(options);
        using var gate = new SemaphoreSlim(settings.Concurrency);
        var done = 0;
        var progressLock = new object();
        var tasks = targets.Select(async target =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var site = await fetcher.FetchAsync(target, cancellationToken).ConfigureAwait(false);
                var report = SecurityAnalyzer.Analyze(site);
                if (settings.Progress && targets.Count > 1)
                {
                    lock (progressLock)
                    {
                        done++;
                        error.WriteLine($"[{done}/{targets.Count}] {target.AbsoluteUri} {report.Observatory.Grade ?? report.Observatory.Error}");
                    }
                }

                return report;
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        var reports = await Task.WhenAll(tasks).ConfigureAwait(false);
        ScanOutput.Render(reports, settings.Format, settings.Color, output);
        return ScanOutput.ExitCode(reports, settings.FailUnder, error);
    }
}
