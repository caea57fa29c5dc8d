using SecureHeaders.Compatibility;
using SecureHeaders.ConformanceTests.Checks;

namespace SecureHeaders.ConformanceTests;

/// <summary>The committed matrix files agree with each other and with the checks (no browser needed).</summary>
public sealed class MatrixFileTests
{
    [Fact]
    public void Markdown_page_is_generated_from_the_json()
    {
        Assert.SkipWhen(MatrixRun.Writing, "The run rewrites the files at its end.");
        var expected = MatrixWriter.Markdown(MatrixRun.Committed());
        Assert.True(expected == File.ReadAllText(MatrixRun.MarkdownPath),
            "docs/browser-matrix.md is not what docs/browser-matrix.json generates; rerun the suite with SECUREHEADERS_CONFORMANCE_WRITE=1 instead of editing it.");
    }

    [Fact]
    public void Readme_engine_table_is_generated_from_the_json()
    {
        Assert.SkipWhen(MatrixRun.Writing, "The run rewrites the files at its end.");
        var readme = File.ReadAllText(MatrixRun.ReadmePath);
        var expected = MatrixWriter.SpliceReadme(readme, MatrixWriter.ReadmeTable(MatrixRun.Committed()));
        Assert.True(expected == readme, "README.md's browser-matrix table is not what docs/browser-matrix.json generates; rerun the suite with SECUREHEADERS_CONFORMANCE_WRITE=1.");
    }

    [Fact]
    public void Every_check_has_a_cell_in_every_engine_and_every_cell_a_check()
    {
        Assert.SkipWhen(MatrixRun.Writing, "The run rewrites the files at its end.");
        var committed = MatrixRun.Committed();
        foreach (var check in ConformanceCatalog.All)
        {
            var protection = committed.ById.GetValueOrDefault(check.Id);
            foreach (var engine in Enum.GetValues<Engine>())
            {
                Assert.True(protection?.For(engine) is not null, $"docs/browser-matrix.json has no {BrowserMatrix.KeyOf(engine)} cell for {check.Id}; run the suite with SECUREHEADERS_CONFORMANCE_WRITE=1.");
            }
        }

        Assert.All(committed.Protections, p => Assert.Contains(ConformanceCatalog.All, c => c.Id == p.Id));
    }

    [Fact]
    public void Check_ids_are_unique_kebab_case_and_routes_do_not_collide()
    {
        var ids = ConformanceCatalog.All.Select(static c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
    }
}
