using System.CommandLine;
using SecureHeaders.Csp.Evaluation;

namespace SecureHeaders.Cli.Commands;

/// <summary>
/// <c>secureheaders csp evaluate [POLICY] [--json] [--strict] [--no-strict] [--reporting] [--all] [--evaluator-only]
/// [--report-only] [--x-frame-options VALUE] [--split-commas] [--no-color]</c>.
/// </summary>
/// <remarks>
/// By default it runs the CSP Evaluator's default and strict sets and our own checks (the strict set is what a
/// strict CSP is measured against; <c>--strict</c> is accepted and changes nothing). <c>--no-strict</c> leaves the
/// strict set out, <c>--reporting</c> adds the Evaluator's reporting check, <c>--all</c> adds both that and the
/// Evaluator's <c>ignored</c> notes, <c>--evaluator-only</c> drops our own checks. Without POLICY it reads one policy
/// per line of standard input and writes one JSON object per line. The exit code is 0 unless input could not be read.
/// </remarks>
internal static class CspEvaluateCommand
{
    internal sealed record Settings(bool Json, bool NoStrict, bool Reporting, bool All, bool EvaluatorOnly, bool ReportOnly, string? XFrameOptions, bool SplitCommas, bool Color)
    {
        public CspEvaluationOptions ToOptions()
        {
            var checks = CspCheckSets.EvaluatorDefault | CspCheckSets.EvaluatorStrict | CspCheckSets.Own;
            if (All)
            {
                checks = CspCheckSets.All;
            }

            if (Reporting)
            {
                checks |= CspCheckSets.EvaluatorReporting;
            }

            if (NoStrict)
            {
                checks &= ~CspCheckSets.EvaluatorStrict;
            }

            if (EvaluatorOnly)
            {
                checks &= ~CspCheckSets.Own;
            }

            return new() { Checks = checks, ReportOnly = ReportOnly, XFrameOptions = XFrameOptions };
        }
    }

    public static Command Create()
    {
        var policy = new Argument<string?>("POLICY") { Description = "The policy to evaluate. Without it, one policy per line is read from standard input and one JSON object per line is written.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Write one JSON object instead of text." };
        var strict = new Option<bool>("--strict") { Description = "Run the CSP Evaluator's strict checks (the default; accepted for symmetry)." };
        var noStrict = new Option<bool>("--no-strict") { Description = "Leave out the CSP Evaluator's strict checks." };
        var reporting = new Option<bool>("--reporting") { Description = "Also run the CSP Evaluator's reporting check (report-uri/report-to)." };
        var all = new Option<bool>("--all") { Description = "Everything: strict and reporting checks and the 'ignored' notes." };
        var evaluatorOnly = new Option<bool>("--evaluator-only") { Description = "Only the CSP Evaluator's checks, none of ours." };
        var reportOnly = new Option<bool>("--report-only") { Description = "The policy is sent as Content-Security-Policy-Report-Only." };
        var xfo = new Option<string?>("--x-frame-options") { Description = "The page's X-Frame-Options value, to check it against frame-ancestors." };
        var splitCommas = new Option<bool>("--split-commas") { Description = "Treat commas as separators of several policies (as in a header) and evaluate each." };
        var noColor = new Option<bool>("--no-color") { Description = "No colours in text output (also: NO_COLOR, or output not a terminal)." };

        var command = new Command("evaluate", "Find weaknesses in a CSP: every check of Google's CSP Evaluator plus SecureHeaders' own.")
        {
            policy, json, strict, noStrict, reporting, all, evaluatorOnly, reportOnly, xfo, splitCommas, noColor,
        };
        command.SetAction(parse =>
        {
            var settings = new Settings(parse.GetValue(json), parse.GetValue(noStrict), parse.GetValue(reporting), parse.GetValue(all),
                parse.GetValue(evaluatorOnly), parse.GetValue(reportOnly), parse.GetValue(xfo), parse.GetValue(splitCommas), CspCommands.UseColor(parse.GetValue(noColor)));
            return Run(parse.GetValue(policy), settings, Console.In, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    internal static int Run(string? policy, Settings settings, TextReader input, TextWriter output, TextWriter error)
    {
        var options = settings.ToOptions();
        if (policy is not null)
        {
            foreach (var one in Split(policy, settings.SplitCommas))
            {
                var findings = CspEvaluator.Evaluate(one.Policy, options);
                if (settings.Json)
                {
                    output.WriteLine(CspJson.Evaluation(one.Echo, findings));
                }
                else
                {
                    CspTextRenderer.Write(output, one.Policy, findings, settings.Color);
                }
            }

            return 0;
        }

        try
        {
            string? line;
            while ((line = input.ReadLine()) is not null)
            {
                foreach (var one in Split(line, settings.SplitCommas))
                {
                    output.WriteLine(CspJson.Evaluation(one.Echo, CspEvaluator.Evaluate(one.Policy, options)));
                }
            }
        }
        catch (IOException e)
        {
            error.WriteLine("Could not read standard input: " + e.Message);
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Strips a leading header name (so that a copied header line works) and, if asked, splits on commas. The JSON
    /// echoes the input line unchanged (<c>Echo</c>) so that callers can match outputs to inputs by text.
    /// </summary>
    private static (string Policy, string Echo)[] Split(string raw, bool splitCommas)
    {
        var text = raw.Trim();
        foreach (var prefix in new[] { "content-security-policy-report-only:", "content-security-policy:" })
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[prefix.Length..].Trim();
                break;
            }
        }

        if (!splitCommas)
        {
            return [(text, raw)];
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? [(text, raw)] : [.. parts.Select(static p => (p, p))];
    }
}
