using System.Collections.Concurrent;
using System.Text.Json;
using SecureHeaders.Compatibility;
using SecureHeaders.ConformanceTests.Checks;

namespace SecureHeaders.ConformanceTests;

/// <summary>
/// The live results of this run, compared cell by cell with the committed <c>docs/browser-matrix.json</c>. With
/// SECUREHEADERS_CONFORMANCE_WRITE=1 the run instead accepts what it measured: at the end it rewrites the JSON, the
/// generated <c>docs/browser-matrix.md</c> and the copy embedded in SecureHeaders (cells of engines or checks that
/// did not run are kept as committed).
/// </summary>
internal static class MatrixRun
{
    private static readonly ConcurrentDictionary<(string Check, string Engine), CheckResult> s_results = new();
    private static readonly ConcurrentDictionary<string, string> s_versions = new(StringComparer.Ordinal);
    private static readonly Lazy<string> s_root = new(FindRepositoryRoot);

    public static bool Writing => Environment.GetEnvironmentVariable("SECUREHEADERS_CONFORMANCE_WRITE") == "1";

    public static string RepositoryRoot => s_root.Value;

    public static string CommittedPath => Path.Combine(RepositoryRoot, "docs", "browser-matrix.json");

    public static string EmbeddedCopyPath => Path.Combine(RepositoryRoot, "src", "SecureHeaders", "Data", "browser-matrix.json");

    public static string ReadmePath => Path.Combine(RepositoryRoot, "README.md");

    public static string MarkdownPath => Path.Combine(RepositoryRoot, "docs", "browser-matrix.md");

    public static BrowserMatrix.Data Committed() => Read(CommittedPath);

    public static BrowserMatrix.Data Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return BrowserMatrix.Parse(document.RootElement);
    }

    public static void Record(string engine, string version, ConformanceCheck check, CheckResult result)
    {
        s_versions[engine] = version;
        s_results[(check.Id, engine)] = result;
    }

    /// <summary>Null when the live result matches the committed cell; otherwise the message the test fails with.</summary>
    public static string? Compare(string engine, string version, ConformanceCheck check, CheckResult result)
    {
        var committed = Committed();
        var cell = committed.ById.GetValueOrDefault(check.Id)?.Cells.FirstOrDefault(c => BrowserMatrix.KeyOf(c.Engine) == engine);
        var measured = $"{engine} {version}: {check.Id} ({check.Description}) measured {Name(result.Outcome)}: {result.Evidence}";
        if (cell is null)
        {
            return $"{measured}. docs/browser-matrix.json has no {engine} cell for {check.Id}; run the suite with SECUREHEADERS_CONFORMANCE_WRITE=1 to add it.";
        }

        if (Name(result.Outcome) != cell.Outcome.ToString().ToLowerInvariant())
        {
            return $"{measured}. docs/browser-matrix.json says {cell.Outcome.ToString().ToLowerInvariant()} (measured in {engine} {cell.EngineVersion}: {cell.Evidence}). "
                + "If the engine changed, rerun with SECUREHEADERS_CONFORMANCE_WRITE=1 and commit docs/browser-matrix.json, docs/browser-matrix.md and src/SecureHeaders/Data/browser-matrix.json.";
        }

        return null;
    }

    public static void WriteIfRequested()
    {
        if (!Writing)
        {
            return;
        }

        if (s_results.IsEmpty)
        {
            // No engine ran (e.g. SECUREHEADERS_CONFORMANCE_ENGINES=none): regenerate the pages from the committed JSON.
            File.WriteAllText(MarkdownPath, MatrixWriter.Markdown(Committed()));
            File.WriteAllText(ReadmePath, MatrixWriter.SpliceReadme(File.ReadAllText(ReadmePath), MatrixWriter.ReadmeTable(Committed())));
            return;
        }

        var committed = File.Exists(CommittedPath) ? Committed() : null;
        var engines = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (committed is not null)
        {
            foreach (var (engine, version) in committed.Versions)
            {
                engines[BrowserMatrix.KeyOf(engine)] = version;
            }
        }

        foreach (var (engine, version) in s_versions)
        {
            engines[engine] = version;
        }

        var cells = new SortedDictionary<string, SortedDictionary<string, (string Outcome, string Evidence)>>(StringComparer.Ordinal);
        foreach (var protection in committed?.Protections ?? [])
        {
            if (ConformanceCatalog.All.All(c => c.Id != protection.Id))
            {
                continue; // The check was removed.
            }

            foreach (var cell in protection.Cells)
            {
                Cells(protection.Id)[BrowserMatrix.KeyOf(cell.Engine)] = (cell.Outcome.ToString().ToLowerInvariant(), cell.Evidence);
            }
        }

        foreach (var ((check, engine), result) in s_results)
        {
            Cells(check)[engine] = (Name(result.Outcome), result.Evidence);
        }

        var json = MatrixWriter.Json(engines, cells);
        File.WriteAllText(CommittedPath, json);
        File.WriteAllText(EmbeddedCopyPath, json);
        File.WriteAllText(MarkdownPath, MatrixWriter.Markdown(Read(CommittedPath)));
        File.WriteAllText(ReadmePath, MatrixWriter.SpliceReadme(File.ReadAllText(ReadmePath), MatrixWriter.ReadmeTable(Read(CommittedPath))));

        SortedDictionary<string, (string, string)> Cells(string id)
        {
            if (!cells.TryGetValue(id, out var row))
            {
                cells[id] = row = new(StringComparer.Ordinal);
            }

            return row;
        }
    }

    public static string Name(Outcome outcome) => outcome.ToString().ToLowerInvariant();

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureHeaders.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SecureHeaders.slnx not found above " + AppContext.BaseDirectory);
    }
}
