using System.Runtime.CompilerServices;
using System.Text.Json;
using SecureHeaders.Cli.Commands;
using SecureHeaders.Csp.Evaluation;

namespace SecureHeaders.Cli.Tests;

/// <summary>
/// Compares `csp evaluate --json` with Google's CSP Evaluator 1.1.8 (default + strict checks, CSP3) on the
/// policies in CspAgreement/policies.txt, whose real Evaluator outputs were recorded into expected.jsonl by
/// tools/compare-csp-evaluator.sh --record. Findings are matched per policy on (check, directive) as multisets.
/// </summary>
public class CspEvaluatorAgreementTests
{
    private static readonly CspEvaluateCommand.Settings s_default = new(Json: true, NoStrict: false, Reporting: false, All: false, EvaluatorOnly: false, ReportOnly: false, XFrameOptions: null, SplitCommas: false, Color: false);

    [Fact]
    public void Agrees_with_the_recorded_CSP_Evaluator_outputs()
    {
        var folder = Path.Combine(Path.GetDirectoryName(SourcePath())!, "CspAgreement");
        var policies = File.ReadAllText(Path.Combine(folder, "policies.txt"));
        var expected = File.ReadAllLines(Path.Combine(folder, "expected.jsonl")).Where(static l => l.Length > 0).Select(static l => JsonDocument.Parse(l).RootElement).ToList();

        var output = new StringWriter();
        Assert.Equal(0, CspEvaluateCommand.Run(null, s_default, new StringReader(policies), output, TextWriter.Null));
        var ours = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(static o => o.GetProperty("policy").GetString()!.Trim());

        int theirs = 0, missed = 0, oursNamed = 0, confirmed = 0;
        var differences = new List<string>();
        foreach (var record in expected.Where(static e => !e.TryGetProperty("error", out _)))
        {
            var policy = record.GetProperty("policy").GetString()!;
            var remaining = Keys(record.GetProperty("findings")).GroupBy(static k => k).ToDictionary(static g => g.Key, static g => g.Count());
            theirs += remaining.Values.Sum();
            foreach (var key in Keys(ours[policy.Trim()].GetProperty("findings"), evaluatorOnly: true))
            {
                oursNamed++;
                if (remaining.GetValueOrDefault(key) > 0)
                {
                    remaining[key]--;
                    confirmed++;
                }
                else
                {
                    differences.Add($"extra: {policy} => {key}");
                }
            }

            foreach (var (key, count) in remaining.Where(static r => r.Value > 0))
            {
                differences.Add($"missed: {policy} => {key} x{count}");
                missed += count;
            }
        }

        var found = theirs - missed;
        var recall = 100.0 * found / theirs;
        var precision = 100.0 * confirmed / oursNamed;
        TestContext.Current.TestOutputHelper?.WriteLine($"policies: {expected.Count}, recall {found}/{theirs} = {recall:F2}%, precision {confirmed}/{oursNamed} = {precision:F2}%");
        Assert.True(expected.Count >= 100, "the corpus should hold 100+ policies");
        Assert.True(recall >= 95 && precision >= 90, $"recall {recall:F2}%, precision {precision:F2}%:\n" + string.Join('\n', differences));

        // Today the agreement is exact; keep it that way so that a regression shows up immediately.
        Assert.Empty(differences);
    }

    private static IEnumerable<string> Keys(JsonElement findings, bool evaluatorOnly = false) =>
        findings.EnumerateArray()
            .Select(static f => (Check: f.GetProperty("check").GetString()!, Directive: f.GetProperty("directive").GetString()!))
            .Where(f => !evaluatorOnly || (CspChecks.IsEvaluatorCheck(f.Check) && f.Check != CspChecks.Ignored))
            .Select(static f => f.Check + " " + f.Directive);

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
