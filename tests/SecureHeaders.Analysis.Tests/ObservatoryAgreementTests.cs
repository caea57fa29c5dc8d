using System.Runtime.CompilerServices;
using System.Text.Json;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Tests;

/// <summary>
/// Grades every header set under ObservatoryAgreement/sets offline and compares the Observatory block with what the
/// real Mozilla HTTP Observatory said about the same set served on loopback: 1.4.8 in ObservatoryAgreement/golden
/// (recorded by tools/observatory-agreement/record-golden.sh), 1.6.3 in golden-1.6.3 and the main branch (94042bb) in
/// golden-main (recorded with the reference graders' --observatory option). No node needed.
/// </summary>
public class ObservatoryAgreementTests
{
    public static TheoryData<string, string> Sets()
    {
        var data = new TheoryData<string, string>();
        foreach (var version in ObservatoryVersions.Labels)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root(), "sets"), "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(version, Path.GetFileNameWithoutExtension(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Observatory_block_matches_the_real_observatory(string version, string name)
    {
        Assert.True(ObservatoryVersions.TryParse(version, out var parsed));
        var (actual, expected) = Grade(name, parsed);
        if (expected.TryGetProperty("error", out var error))
        {
            Assert.Equal(error.GetString(), actual.Error);
            return;
        }

        Assert.Null(actual.Error);
        var differences = new List<string>();
        foreach (var test in expected.GetProperty("tests").EnumerateObject())
        {
            var mine = actual[test.Name];
            var result = test.Value.GetProperty("result").GetString();
            if (mine is null || mine.Result != result || mine.Pass != test.Value.GetProperty("pass").GetBoolean()
                || mine.ScoreModifier != test.Value.GetProperty("scoreModifier").GetInt32())
            {
                differences.Add($"{test.Name}: expected {result}, got {mine?.Result} ({mine?.Detail})");
            }
        }

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
        Assert.Equal(expected.GetProperty("score").GetInt32(), actual.Score);
        Assert.Equal(expected.GetProperty("grade").GetString(), actual.Grade);
        Assert.Equal(expected.GetProperty("testsPassed").GetInt32(), actual.TestsPassed);
        Assert.Equal(expected.GetProperty("testsFailed").GetInt32(), actual.TestsFailed);
        Assert.Equal(expected.GetProperty("tests").EnumerateObject().Count(), actual.Tests.Length);
    }

    [Fact]
    public void There_are_more_than_a_hundred_sets_each_with_a_golden_result()
    {
        var sets = Directory.GetFiles(Path.Combine(Root(), "sets"), "*.json").Select(Path.GetFileName).ToHashSet();
        Assert.True(sets.Count >= 100, $"only {sets.Count} sets");
        foreach (var folder in new[] { "golden", "golden-1.6.3", "golden-main" })
        {
            var golden = Directory.GetFiles(Path.Combine(Root(), folder), "*.json").Select(Path.GetFileName).ToHashSet();
            Assert.Equal(sets.Order(), golden.Order());
        }
    }

    internal static (ObservatoryResult Actual, JsonElement Expected) Grade(string name, ObservatoryVersion version = ObservatoryVersion.Release148)
    {
        var text = File.ReadAllText(Path.Combine(Root(), "sets", name + ".json"));
        var set = HeaderSetReader.Parse(text);
        using var spec = JsonDocument.Parse(text);
        var transport = spec.RootElement.TryGetProperty("transport", out var t) && t.GetString() == "http" ? OfflineTransport.Http : OfflineTransport.Https;
        var site = SiteSnapshot.FromHeaderSet(set, transport, new Uri("https://127.0.0.1/"));
        var actual = ObservatoryGrader.Grade(site, version);
        var folder = version switch
        {
            ObservatoryVersion.Release148 => "golden",
            ObservatoryVersion.Main => "golden-main",
            _ => "golden-1.6.3",
        };
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), folder, name + ".json")));
        return (actual, golden.RootElement.Clone());
    }

    internal static string Root([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "ObservatoryAgreement");
}
