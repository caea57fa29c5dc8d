using System.CommandLine;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;
using System.Collections.Immutable;
using SecureHeaders.Analysis.Drift;
using SecureHeaders.Analysis.Fetching;
using SecureHeaders.Analysis.Rendering;
using SecureHeaders.Analysis.Observatory;

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
        bool Progress)
    {
        /// <summary>Refuse private, loopback and link-local addresses (also after redirects).</summary>
        public bool DenyPrivateNetworks { get; init; }

        /// <summary>Crawl each URL's site instead of grading one page.</summary>
        public bool Crawl { get; init; }

        /// <summary>The most pages a crawl grades.</summary>
        public int MaxPages { get; init; } = 50;

        /// <summary>Crawl only the start page's origin.</summary>
        public bool SameOrigin { get; init; }

        /// <summary>Compare with this saved scan; regressions exit 1.</summary>
        public string? Baseline { get; init; }

        /// <summary>Save the scan as a baseline here.</summary>
        public string? SaveBaseline { get; init; }

        /// <summary>Append a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).</summary>
        public string? SummaryMarkdown { get; init; }

        /// <summary>The Observatory release to reproduce.</summary>
        public ObservatoryVersion Observatory { get; init; } = ObservatoryVersions.Default;
    }

    public static Command Create()
    {
        var urls = new Argument<string[]>("URL") { Description = "Sites to scan (https://example.com/, or a bare host name).", Arity = ArgumentArity.OneOrMore };
        var caCert = new Option<string?>("--ca-cert") { Description = "Trust this CA or self-signed certificate (PEM or DER), e.g. the ASP.NET Core dev certificate." };
        var insecure = new Option<bool>("--insecure") { Description = "Do not verify TLS certificates (the report says so)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Port for http:// (default: the URL's port, else 80)." };
        var httpsPort = new Option<int?>("--https-port") { Description = "Port for https:// (default: the URL's port, else 443)." };
        var concurrency = new Option<int>("--concurrency") { Description = "How many sites to scan at once.", DefaultValueFactory = _ => 4 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one site's fetch may take in all (both schemes, redirects, preflight).", DefaultValueFactory = _ => 10 };
        var crawl = new Option<bool>("--crawl") { Description = "Crawl the site from each URL (links, sitemap.xml, redirects) and report pages whose headers differ from the rest." };
        var maxPages = new Option<int>("--max-pages") { Description = "The most pages a crawl grades.", DefaultValueFactory = _ => 50 };
        var sameOrigin = new Option<bool>("--same-origin") { Description = "Crawl only the start page's origin (default: the whole site, its registrable domain)." };
        var baselineOption = new Option<string?>("--baseline") { Description = "Compare with a scan saved by --save-baseline; regressions (lower score, header removed or weakened, CSP source added) exit 1." };
        var saveBaseline = new Option<string?>("--save-baseline") { Description = "Save this scan as a baseline file." };
        var summaryMarkdown = new Option<string?>("--summary-markdown") { Description = "Append a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)." };
        var denyPrivate = new Option<bool>("--deny-private-networks") { Description = "Refuse loopback, private, link-local and other non-public addresses, also after redirects (for running the scanner as a service)." };
        var command = new Command("scan", "Fetch sites, grade them like Mozilla HTTP Observatory (1.6.3 by default) and explain what to fix.")
        {
            urls, caCert, insecure, httpPort, httpsPort, concurrency, timeout, denyPrivate, crawl, maxPages, sameOrigin, baselineOption, saveBaseline, summaryMarkdown,
        };
        var output = ScanOutput.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var usage = ScanOutput.Read(parse, output, out var format, out var failUnder, out var version);
            if (usage is not null)
            {
                await stderr.WriteLineAsync(usage).ConfigureAwait(false);
                return ScanOutput.Error;
            }

            var settings = new Settings(parse.GetValue(urls) ?? [], format, failUnder, ScanOutput.UseColor(parse.GetValue(output.NoColor), stdout),
                parse.GetValue(caCert), parse.GetValue(insecure), parse.GetValue(httpPort), parse.GetValue(httpsPort),
                parse.GetValue(concurrency), TimeSpan.FromSeconds(parse.GetValue(timeout)), !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error))
            {
                Observatory = version,
                DenyPrivateNetworks = parse.GetValue(denyPrivate),
                Crawl = parse.GetValue(crawl),
                MaxPages = parse.GetValue(maxPages),
                SameOrigin = parse.GetValue(sameOrigin),
                Baseline = parse.GetValue(baselineOption),
                SaveBaseline = parse.GetValue(saveBaseline),
                SummaryMarkdown = parse.GetValue(summaryMarkdown),
            };
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

        if (settings.MaxPages < 1)
        {
            await error.WriteLineAsync("--max-pages must be at least 1.").ConfigureAwait(false);
            return ScanOutput.Error;
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
            DenyPrivateNetworks = settings.DenyPrivateNetworks,
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

        // The baseline is read before anything is fetched, so that a wrong path fails at once.
        ScanBaseline? baseline = null;
        if (settings.Baseline is { } baselinePath)
        {
            try
            {
                baseline = ScanBaseline.Parse(await File.ReadAllTextAsync(baselinePath, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                await error.WriteLineAsync($"--baseline {baselinePath}: {e.Message}").ConfigureAwait(false);
                return ScanOutput.Error;
            }
        }

        using var fetcher = new SiteFetcher(options);
        if (settings.Crawl)
        {
            return await CrawlAsync(settings, targets, fetcher, baseline, output, error, cancellationToken).ConfigureAwait(false);
        }

        using var gate = new SemaphoreSlim(settings.Concurrency);
        var done = 0;
        var progressLock = new object();
        var tasks = targets.Select(async target =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var site = await fetcher.FetchAsync(target, cancellationToken).ConfigureAwait(false);
                var report = await AnalyzeAsync(site, settings, cancellationToken).ConfigureAwait(false);
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
        var code = ScanOutput.ExitCode(reports, settings.FailUnder, error);
        return await FinishAsync(settings, reports, baseline, [], code, output, error, cancellationToken).ConfigureAwait(false);
    }

    // The analysis is linear in what was fetched (at most 2 MiB of page, 64 KiB of headers); the deadline makes sure a
    // scan still ends within its own timeout should anything take longer than it should.
    private static async Task<SecurityReport> AnalyzeAsync(SiteSnapshot site, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(() => SecurityAnalyzer.Analyze(site, settings.Observatory), cancellationToken).WaitAsync(settings.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var failed = new SiteSnapshot
            {
                Target = site.Target,
                HttpError = site.HttpError,
                HttpsError = site.HttpsError,
                FetchFailure = $"the analysis took longer than --timeout ({settings.Timeout.TotalSeconds:0.#} s).",
            };
            return SecurityAnalyzer.Analyze(failed, settings.Observatory);
        }
    }

    private static async Task<int> CrawlAsync(Settings settings, List<Uri> targets, SiteFetcher fetcher, ScanBaseline? baseline, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var crawls = new List<(CrawlResult Crawl, ImmutableArray<SiteDeviation> Deviations)>();
        var crawler = new SiteCrawler(fetcher, new CrawlOptions { MaxPages = settings.MaxPages, SameOrigin = settings.SameOrigin, Concurrency = Math.Min(settings.Concurrency, 4) },
            site => SecurityAnalyzer.Analyze(site, settings.Observatory));
        foreach (var target in targets)
        {
            var crawl = await crawler.CrawlAsync(target, cancellationToken).ConfigureAwait(false);
            crawls.Add((crawl, SiteConsistency.Analyze(crawl)));
        }

        var reports = crawls.SelectMany(static c => c.Crawl.Pages.Select(static p => p.Report)).ToList();
        var deviations = crawls.SelectMany(static c => c.Deviations).ToList();
        switch (settings.Format)
        {
            case ScanOutput.Format.Json:
                var json = crawls.Select(static c => CrawlReportWriter.WriteJson(c.Crawl, c.Deviations)).ToList();
                output.WriteLine(json.Count == 1 ? json[0] : "[" + string.Join(",\n", json) + "]");
                break;
            case ScanOutput.Format.Sarif:
                output.WriteLine(Analysis.Rendering.SarifReportWriter.Write(reports, ScanOutput.ToolVersion, deviations));
                break;
            case ScanOutput.Format.Markdown:
                foreach (var (crawl, found) in crawls)
                {
                    output.Write(CrawlReportWriter.WriteMarkdown(crawl, found));
                }

                break;
            default:
                foreach (var (crawl, found) in crawls)
                {
                    output.Write(CrawlReportWriter.WriteText(crawl, found));
                }

                break;
        }

        // A broken link is a finding of the crawl, not a failure of it: only a start page that cannot be graded is an error.
        var code = ScanOutput.ExitCode([.. crawls.Select(static c => c.Crawl.Pages[0].Report)], null, error);
        if (code != ScanOutput.Error && settings.FailUnder is { } threshold)
        {
            var graded = reports.Where(static r => r.Observatory.Error is null && r.Site.FetchFailure is null).ToList();
            code = Math.Max(code, ScanOutput.ExitCode(graded, threshold, error));
        }

        return await FinishAsync(settings, reports, baseline, deviations, code, output, error, cancellationToken).ConfigureAwait(false);
    }

    // Baseline comparison, saving and the CI summary, after the reports are printed.
    private static async Task<int> FinishAsync(Settings settings, IReadOnlyList<SecurityReport> reports, ScanBaseline? baseline, List<SiteDeviation> deviations,
        int code, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ImmutableArray<BaselineChange> changes = [];
        if (baseline is not null)
        {
            changes = baseline.Compare(reports);
            var diff = BaselineReportWriter.WriteText(baseline, changes, settings.Baseline);

            // Machine-readable output stays on stdout alone; the diff then goes to stderr.
            await (settings.Format == ScanOutput.Format.Text ? output : error).WriteAsync((settings.Format == ScanOutput.Format.Text ? Environment.NewLine : string.Empty) + diff).ConfigureAwait(false);
            if (changes.Any(static c => c.Regression) && code != ScanOutput.Error)
            {
                code = ScanOutput.BelowThreshold;
            }
        }

        try
        {
            if (settings.SaveBaseline is { } save)
            {
                await File.WriteAllTextAsync(save, ScanBaseline.From(reports, DateTimeOffset.UtcNow).ToJson(), cancellationToken).ConfigureAwait(false);
            }

            if (settings.SummaryMarkdown is { } summary)
            {
                var markdown = BaselineReportWriter.WriteMarkdown(reports, baseline, changes);
                if (deviations.Count > 0)
                {
                    markdown += "### Pages whose headers differ from the rest of the site" + Environment.NewLine + Environment.NewLine
                        + string.Concat(deviations.Select(static d => $"- **{d.Id}**: {d.Message} ({string.Join(", ", d.Pages.Select(static p => p.AbsoluteUri))})" + Environment.NewLine))
                        + Environment.NewLine;
                }

                // Appended, as $GITHUB_STEP_SUMMARY expects.
                await File.AppendAllTextAsync(summary, markdown, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ScanOutput.Error;
        }

        return code;
    }
}
