using Microsoft.Data.Sqlite;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.Sqlite.Tests;

/// <summary>A database written before schema versions existed upgrades in place, and a newer one is refused.</summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string CopyFixture()
    {
        var path = _dir.File("reports.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reports-v1.sqlite"), path);
        return path;
    }

    private static async Task<List<string>> ScalarsAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            list.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return list;
    }

    [Fact]
    public async Task A_file_written_by_the_release_before_schema_versions_upgrades_and_keeps_its_rows()
    {
        var path = CopyFixture();
        Assert.Empty(await ScalarsAsync(path, "SELECT name FROM sqlite_master WHERE name = 'sh_schema_version'"));

        var store = new SqliteViolationStore(path);
        await store.InitializeAsync(Ct);

        Assert.Equal(2, await store.GetSchemaVersionAsync(Ct));
        Assert.Equal(["1", "2"], await ScalarsAsync(path, "SELECT version FROM sh_schema_version ORDER BY version"));
        var old = await store.QueryAsync(new ViolationQuery(), Ct);
        Assert.Equal(15, old.Total);
        var cdn = Assert.Single(old.Violations, v => v.Fingerprint == "v1-cdn");
        Assert.Equal((12L, "https://cdn.example.net", "", 0L), (cdn.Count, cdn.BlockedUri, cdn.Policy, cdn.Session));
        Assert.Equal("go()", Assert.Single(await store.GetSamplesAsync(["v1-inline"], Ct)).Sample);

        // The upgraded file takes new writes: old rows merge by fingerprint, attributed rows and evidence are new.
        var t = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        await store.WriteAsync(new ViolationBatch([cdn with { Count = 3, FirstSeen = t, LastSeen = t }, cdn with { Fingerprint = "new", Policy = "default", Session = 1, Count = 1 }], [], [])
        {
            Documents = [new ViolationTally("new", "https://shop.example.com/", 1, t, t)],
        }, Ct);
        Assert.Equal(15, (await store.QueryAsync(new ViolationQuery(), Ct)).Violations.Single(v => v.Fingerprint == "v1-cdn").Count);
        Assert.Equal(["new"], (await store.QueryAsync(new ViolationQuery { Policy = "default" }, Ct)).Violations.Select(v => v.Fingerprint));
        Assert.Single((await store.GetEvidenceAsync(["new"], Ct)).Documents);
        Assert.Equal(32, (await store.GetPseudonymKeyAsync(Ct)).Length);

        // Opening it again (another process, a restart) finds it current and changes nothing.
        SqliteConnection.ClearAllPools();
        var again = new SqliteViolationStore(path);
        await again.InitializeAsync(Ct);
        Assert.Equal(["1", "2"], await ScalarsAsync(path, "SELECT version FROM sh_schema_version ORDER BY version"));
        Assert.Equal(await store.GetPseudonymKeyAsync(Ct), await again.GetPseudonymKeyAsync(Ct));
        Assert.Equal(["ok"], await ScalarsAsync(path, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Several_stores_upgrading_the_same_file_at_once_apply_each_step_once()
    {
        var path = CopyFixture();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SqliteViolationStore(path).InitializeAsync(Ct), Ct)));
        Assert.Equal(["1", "2"], await ScalarsAsync(path, "SELECT version FROM sh_schema_version ORDER BY version"));
        Assert.Equal(["15"], await ScalarsAsync(path, "SELECT sum(count) FROM sh_violations"));
    }

    [Fact]
    public async Task A_new_file_is_created_at_the_current_version()
    {
        var store = new SqliteViolationStore(_dir.File("fresh.db"));
        Assert.Equal(2, await store.GetSchemaVersionAsync(Ct));
        Assert.Equal(["1", "2"], await ScalarsAsync(_dir.File("fresh.db"), "SELECT version FROM sh_schema_version ORDER BY version"));
    }

    [Fact]
    public async Task A_file_from_a_newer_version_is_refused_with_the_reason()
    {
        var path = CopyFixture();
        await new SqliteViolationStore(path).InitializeAsync(Ct);
        await ScalarsAsync(path, "INSERT INTO sh_schema_version (version, applied_at) VALUES (3, 0)");
        SqliteConnection.ClearAllPools();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteViolationStore(path).InitializeAsync(Ct));
        Assert.Contains("schema version 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade SecureHeaders", error.Message, StringComparison.Ordinal);
    }
}
