using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Tests.Storage;

namespace SecureHeaders.Reporting.PostgreSql.Tests;

/// <summary>The shared store contract against a real PostgreSQL server, each test in its own schema.</summary>
public sealed class PostgreSqlViolationStoreTests : ViolationStoreContract
{
    private readonly List<PostgreSqlViolationStore> _opened = [];
    private string _connectionString = string.Empty;
    private readonly string _schema = PostgresServer.NewSchema();

    protected override ValueTask<IViolationStore> CreateStoreAsync()
    {
        _connectionString = PostgresServer.ConnectionStringOrSkip();
        return ValueTask.FromResult<IViolationStore>(Open());
    }

    protected override IViolationStore OpenSecondInstance() => Open();

    protected override async ValueTask DropStoreAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        if (_connectionString.Length > 0)
        {
            await PostgresServer.DropSchemaAsync(_connectionString, _schema);
        }
    }

    private PostgreSqlViolationStore Open()
    {
        // A separate data source per instance: its own pool, as a second app instance would have.
        var store = new PostgreSqlViolationStore(new PostgreSqlViolationStoreOptions { ConnectionString = _connectionString, Schema = _schema });
        _opened.Add(store);
        return store;
    }

    [Fact]
    public async Task Several_instances_creating_the_schema_at_once_all_succeed()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => Open()).ToList();
        await Task.WhenAll(stores.Select(s => s.InitializeAsync(TestContext.Current.CancellationToken)));
        await stores[3].WriteAsync(Batch(V("a", 4)), TestContext.Current.CancellationToken);
        Assert.Equal(4, (await stores[5].QueryAsync(new ViolationQuery(), TestContext.Current.CancellationToken)).Total);
    }

    [Theory]
    [InlineData("bad-name")]
    [InlineData("1abc")]
    [InlineData("x\"; DROP TABLE y; --")]
    [InlineData("")]
    public void Schema_names_must_be_identifiers(string schema) =>
        Assert.Throws<ArgumentException>(() => new PostgreSqlViolationStore(new PostgreSqlViolationStoreOptions { ConnectionString = "Host=localhost", Schema = schema }));
}
