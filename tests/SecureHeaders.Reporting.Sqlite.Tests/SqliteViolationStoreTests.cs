using Microsoft.Data.Sqlite;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Tests.Storage;
using SecureHeaders.Reporting.Tests.Support;

namespace SecureHeaders.Reporting.Sqlite.Tests;

public sealed class SqliteViolationStoreTests : ViolationStoreContract
{
    private readonly TempDirectory _dir = new();

    protected override ValueTask<IViolationStore> CreateStoreAsync() =>
        ValueTask.FromResult<IViolationStore>(new SqliteViolationStore(_dir.File("nested/folder/reports.db")));

    protected override IViolationStore OpenSecondInstance() => new SqliteViolationStore(_dir.File("nested/folder/reports.db"));

    protected override ValueTask DropStoreAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Creates_the_folder_and_uses_wal()
    {
        await Store.WriteAsync(Batch(V("a")), TestContext.Current.CancellationToken);
        var path = _dir.File("nested/folder/reports.db");
        Assert.True(File.Exists(path));
        await using var connection = new SqliteConnection("Data Source=" + path);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unfinished_transaction_leaves_a_database_that_opens_cleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        await Store.WriteAsync(Batch(V("kept", 3)), ct);
        var path = _dir.File("nested/folder/reports.db");

        // Simulate a kill mid-write: a transaction that is never committed, on a connection that is dropped.
        var connection = new SqliteConnection("Data Source=" + path + ";Pooling=False");
        await connection.OpenAsync(ct);
        var tx = connection.BeginTransaction();
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE sh_violations SET count = 999";
        await cmd.ExecuteNonQueryAsync(ct);
        connection.Dispose();

        var reopened = new SqliteViolationStore(path);
        Assert.Equal(3, (await reopened.QueryAsync(new ViolationQuery(), ct)).Total);
        await using var check = new SqliteConnection("Data Source=" + path);
        await check.OpenAsync(ct);
        await using var integrity = check.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", (string?)await integrity.ExecuteScalarAsync(ct));
    }
}
