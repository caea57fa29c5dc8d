using Npgsql;

namespace SecureHeaders.Reporting.PostgreSql.Tests;

/// <summary>A schema created before schema versions existed upgrades in place on the real server; a newer one is refused.</summary>
public sealed class PostgreSqlMigrationTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();
    private string _connectionString = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The tables and one row exactly as the store of commit 4f908d9 (the last release without a version table) created them.
    private string Version1Sql => $"""
        CREATE SCHEMA IF NOT EXISTS "{_schema}";
        CREATE TABLE IF NOT EXISTS "{_schema}".sh_violations (
            fingerprint text NOT NULL PRIMARY KEY, type text NOT NULL, disposition text NOT NULL, document_origin text NOT NULL,
            directive text NOT NULL, blocked_uri text NOT NULL, source_host text NOT NULL, count bigint NOT NULL,
            first_seen bigint NOT NULL, last_seen bigint NOT NULL, document_url text, blocked_url text, source_file text,
            line_number integer, column_number integer, sample text, original_policy text, status_code integer);
        CREATE INDEX IF NOT EXISTS sh_violations_last_seen ON "{_schema}".sh_violations (last_seen);
        CREATE INDEX IF NOT EXISTS sh_violations_directive ON "{_schema}".sh_violations (directive);
        CREATE TABLE IF NOT EXISTS "{_schema}".sh_violation_hours (fingerprint text NOT NULL, hour bigint NOT NULL, count bigint NOT NULL, PRIMARY KEY (fingerprint, hour));
        CREATE INDEX IF NOT EXISTS sh_violation_hours_hour ON "{_schema}".sh_violation_hours (hour);
        CREATE TABLE IF NOT EXISTS "{_schema}".sh_violation_samples (fingerprint text NOT NULL, sample text NOT NULL, count bigint NOT NULL,
            first_seen bigint NOT NULL, last_seen bigint NOT NULL, PRIMARY KEY (fingerprint, sample));
        INSERT INTO "{_schema}".sh_violations VALUES ('v1-cdn', 'csp-violation', 'report', 'https://shop.example.com', 'script-src-elem',
            'https://cdn.example.net', '', 12, 1795168800000, 1795169100000, 'https://shop.example.com/cart', NULL, NULL, NULL, NULL, NULL,
            'default-src ''self''', 200);
        INSERT INTO "{_schema}".sh_violation_samples VALUES ('v1-cdn', 'go()', 3, 1795168800000, 1795168800000);
        """;

    public async ValueTask InitializeAsync()
    {
        _connectionString = PostgresServer.ConnectionStringOrSkip();
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var cmd = dataSource.CreateCommand(Version1Sql);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connectionString.Length > 0)
        {
            await PostgresServer.DropSchemaAsync(_connectionString, _schema);
        }
    }

    private PostgreSqlViolationStore Open() => new(new PostgreSqlViolationStoreOptions { ConnectionString = _connectionString, Schema = _schema });

    private async Task<List<int>> VersionsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var cmd = dataSource.CreateCommand($"SELECT version FROM \"{_schema}\".sh_schema_version ORDER BY version");
        var list = new List<int>();
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            list.Add(reader.GetInt32(0));
        }

        return list;
    }

    [Fact]
    public async Task A_version_1_schema_upgrades_and_keeps_its_rows()
    {
        await using var store = Open();
        await store.InitializeAsync(Ct);
        Assert.Equal(2, await store.GetSchemaVersionAsync(Ct));
        Assert.Equal([1, 2], await VersionsAsync());

        var cdn = Assert.Single((await store.QueryAsync(new ViolationQuery(), Ct)).Violations);
        Assert.Equal(("v1-cdn", 12L, "", 0L), (cdn.Fingerprint, cdn.Count, cdn.Policy, cdn.Session));
        Assert.Equal("go()", Assert.Single(await store.GetSamplesAsync(["v1-cdn"], Ct)).Sample);

        await store.WriteAsync(new ViolationBatch([cdn with { Count = 1 }, cdn with { Fingerprint = "new", Policy = "default", Session = 1, Count = 2 }], [], [])
        {
            Clients = [new ViolationTally("new", "c1", 2, cdn.FirstSeen, cdn.LastSeen)],
        }, Ct);
        Assert.Equal(13, (await store.QueryAsync(new ViolationQuery { Policy = "" }, Ct)).Total);
        Assert.Equal(2, (await store.QueryAsync(new ViolationQuery { Policy = "default", Session = 1 }, Ct)).Total);
        Assert.Single((await store.GetEvidenceAsync(["new"], Ct)).Clients);
        var session = await store.StartSessionAsync("after upgrade", cdn.LastSeen, Ct);
        Assert.Equal(session.Id, Assert.Single(await store.GetSessionsAsync(Ct)).Id);
    }

    [Fact]
    public async Task Instances_upgrading_at_once_apply_each_step_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));
        Assert.Equal([1, 2], await VersionsAsync());
        Assert.Equal(await stores[0].GetPseudonymKeyAsync(Ct), await stores[3].GetPseudonymKeyAsync(Ct));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_schema_from_a_newer_version_is_refused_with_the_reason()
    {
        await using (var store = Open())
        {
            await store.InitializeAsync(Ct);
        }

        await using (var dataSource = NpgsqlDataSource.Create(_connectionString))
        {
            await using var cmd = dataSource.CreateCommand($"INSERT INTO \"{_schema}\".sh_schema_version VALUES (3, 0)");
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        await using var newer = Open();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(Ct));
        Assert.Contains("version 3", error.Message, StringComparison.Ordinal);
    }
}
