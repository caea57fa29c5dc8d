using System.CommandLine;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Cli.Commands;

/// <summary>
/// <c>secureheaders grade FILE|- [--url URL] [--transport https|http] [--json|--sarif|--markdown] [--fail-under GRADE]</c>:
/// the same analysis as <c>scan</c>, offline, on saved header sets (raw <c>Name: value</c> lines or JSON). Each set is
/// graded as if served at --url over HTTPS with plain HTTP redirecting to it (or over plain HTTP only).
/// Exit codes: 0 ok, 1 a grade below --fail-under, 2 bad usage or a file that cannot be read or graded.
/// </summary>
internal static class GradeCommand
{
    internal sealed record Settings(IReadOnlyList<string> Files, Uri? Url, OfflineTransport Transport, ScanOutput.Format Format, string? FailUnder, bool Color)
    {
        /// <summary>The Observatory release to reproduce.</summary>
        public ObservatoryVersion Observatory { get; init; } = ObservatoryVersions.Default;
    }

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Saved header sets (JSON or raw header lines); - reads standard input.", Arity = ArgumentArity.OneOrMore };
        var url = new Option<string?>("--url") { Description = "The URL the headers came from (default: the set's \"url\", else https://localhost/)." };
        var transport = new Option<string>("--transport") { Description = "https (default): served over HTTPS, HTTP redirecting to it; http: plain HTTP only.", DefaultValueFactory = _ => "https" };
        transport.AcceptOnlyFromAmong("https", "http");
        var command = new Command("grade", "Grade saved response headers offline, exactly as scan grades a live site.") { files, url, transport };
        var output = ScanOutput.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var usage = ScanOutput.Read(parse, output, out var format, out var failUnder, out var version);
            Uri? target = null;
            if (usage is null && parse.GetValue(url) is { } rawUrl
                && (!Uri.TryCreate(rawUrl, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)))
            {
                usage = $"--url \"{rawUrl}\" is not an absolute http(s) URL.";
            }

            if (usage is not null)
            {
                await stderr.WriteLineAsync(usage).ConfigureAwait(false);
                return ScanOutput.Error;
            }

            var settings = new Settings(parse.GetValue(files) ?? [], target, parse.GetValue(transport) == "http" ? OfflineTransport.Http : OfflineTransport.Https,
                format, failUnder, ScanOutput.UseColor(parse.GetValue(output.NoColor), stdout))
            {
                Observatory = version,
            };
            return await RunAsync(settings, Console.In, stdout, stderr, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(Settings settings, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var reports = new List<SecurityReport>();
        foreach (var file in settings.Files)
        {
            HeaderSet set;
            try
            {
                set = await HeaderSetReader.ReadAsync(file, input, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                await error.WriteLineAsync($"{file}: {e.Message}").ConfigureAwait(false);
                return ScanOutput.Error;
            }

            reports.Add(SecurityAnalyzer.Analyze(set, settings.Observatory, settings.Transport, settings.Url));
        }

        ScanOutput.Render(reports, settings.Format, settings.Color, output);
        return ScanOutput.ExitCode(reports, settings.FailUnder, error);
    }
}
