using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.Sqlite;

/// <summary>
/// The default store: one SQLite file in WAL mode, created with its schema on first use. WAL lets the dashboard read
/// while the collector writes, and a process killed mid-write leaves a database that opens cleanly (the unfinished
/// transaction is simply not there).
/// </summary>
public sealed class SqliteViolationStore : IViolationStore
{
    private readonly string _connectionString;
    private readonly Lock _initGate = new();
    private Task? _initialization;

    /// <summary>Creates a store over the database file at <paramref name="databasePath"/>; the file and its folder are created when missing.</summary>
    /// <param name="databasePath">Path of the database file.</param>
    public SqliteViolationStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public override string ToString() => "SQLite " + DatabasePath;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (_initGate)
        {
            // One creation for all callers; a failed one is retried by the next caller.
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = CreateSchemaAsync();
            }

            return _initialization.WaitAsync(cancellationToken);
        }
    }

    private async Task CreateSchemaAsync()
    {
        var folder = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var connection = await OpenCoreAsync(CancellationToken.None).ConfigureAwait(false);

        await using var connectionScope = connection.ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", CancellationToken.None).ConfigureAwait(false);
        await ExecuteAsync(connection, SqliteSchema.Create, CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task WriteAsync(ViolationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);

        var upsert = connection.CreateCommand();

        await using (upsert.ConfigureAwait(false))
        {
            upsert.Transaction = tx;
            upsert.CommandText = SqliteSchema.UpsertViolation;
            var p = SqliteSchema.AddViolationParameters(upsert);
            foreach (var v in batch.Violations)
            {
                SqliteSchema.Bind(p, v);
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var hours = connection.CreateCommand();

        await using (hours.ConfigureAwait(false))
        {
            hours.Transaction = tx;
            hours.CommandText = SqliteSchema.UpsertHour;
            var fp = AddParameter(hours, "$fp");
            var hour = AddParameter(hours, "$hour");
            var count = AddParameter(hours, "$count");
            foreach (var h in batch.Hourly)
            {
                fp.Value = h.Fingerprint;
                hour.Value = ViolationColumns.HourOf(h.Hour);
                count.Value = h.Count;
                await hours.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        var samples = connection.CreateCommand();

        await using (samples.ConfigureAwait(false))
        {
            samples.Transaction = tx;
            samples.CommandText = SqliteSchema.UpsertSample;
            var fp = AddParameter(samples, "$fp");
            var text = AddParameter(samples, "$sample");
            var count = AddParameter(samples, "$count");
            var first = AddParameter(samples, "$first");
            var last = AddParameter(samples, "$last");
            samples.Parameters.AddWithValue("$cap", StoreLimits.MaxSamplesPerViolation);
            foreach (var s in batch.Samples)
            {
                fp.Value = s.Fingerprint;
                text.Value = s.Sample;
                count.Value = s.Count;
                first.Value = ViolationColumns.ToUnixMs(s.FirstSeen);
                last.Value = ViolationColumns.ToUnixMs(s.LastSeen);
                await samples.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        var where = ViolationColumns.Where(cmd, query);

        cmd.CommandText = "SELECT coalesce(sum(count), 0) FROM sh_violations" + where;
        var total = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

        var order = ViolationColumns.OrderBy(query);
        cmd.CommandText = $"SELECT {ViolationColumns.Select} FROM sh_violations{where} ORDER BY {order}, fingerprint LIMIT $limit";
        cmd.Parameters.AddWithValue("$limit", StoreLimits.ClampLimit(query.Limit));
        var list = new List<Violation>();
        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(ViolationColumns.Read(reader));
            }
        }

        return new ViolationQueryResult(total, list);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ViolationSample>> GetSamplesAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        var result = new List<ViolationSample>();
        if (fingerprints.Count == 0)
        {
            return result;
        }

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        var sql = new StringBuilder("SELECT fingerprint, sample, count, first_seen, last_seen FROM sh_violation_samples WHERE fingerprint IN (");
        var i = 0;
        foreach (var fp in fingerprints)
        {
            var name = "$f" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? name : "," + name);
            cmd.Parameters.AddWithValue(name, fp);
            i++;
        }

        cmd.CommandText = sql.Append(") ORDER BY count DESC, sample").ToString();
        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ViolationSample(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
                ViolationColumns.FromUnixMs(reader.GetInt64(3)), ViolationColumns.FromUnixMs(reader.GetInt64(4))));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TimelinePoint>> GetTimelineAsync(DateTimeOffset since, string? directive, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("$since", ViolationColumns.HourOf(since));
        if (directive is null)
        {
            cmd.CommandText = "SELECT hour, sum(count) FROM sh_violation_hours WHERE hour >= $since GROUP BY hour ORDER BY hour";
        }
        else
        {
            cmd.CommandText = "SELECT h.hour, sum(h.count) FROM sh_violation_hours h JOIN sh_violations v ON v.fingerprint = h.fingerprint " +
                "WHERE h.hour >= $since AND v.directive = $directive GROUP BY h.hour ORDER BY h.hour";
            cmd.Parameters.AddWithValue("$directive", directive);
        }

        var points = new List<TimelinePoint>();
        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            points.Add(new TimelinePoint(ViolationColumns.FromUnixMs(reader.GetInt64(0)), reader.GetInt64(1)));
        }

        return points;
    }

    /// <inheritdoc />
    public async Task<int> ApplyRetentionAsync(DateTimeOffset olderThan, int maxViolations, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$cutoff", ViolationColumns.ToUnixMs(olderThan));
        cmd.Parameters.AddWithValue("$cutoffHour", ViolationColumns.HourOf(olderThan));
        cmd.Parameters.AddWithValue("$max", Math.Max(0, maxViolations));

        cmd.CommandText = "DELETE FROM sh_violations WHERE last_seen < $cutoff";
        var deleted = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "DELETE FROM sh_violations WHERE fingerprint IN " +
            "(SELECT fingerprint FROM sh_violations ORDER BY last_seen DESC, fingerprint LIMIT -1 OFFSET $max)";
        deleted += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "DELETE FROM sh_violation_hours WHERE hour < $cutoffHour OR fingerprint NOT IN (SELECT fingerprint FROM sh_violations)";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "DELETE FROM sh_violation_samples WHERE fingerprint NOT IN (SELECT fingerprint FROM sh_violations)";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await OpenCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenCoreAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // With WAL, NORMAL still survives a process crash; only a power loss can take the last commit back.
            await ExecuteAsync(connection, "PRAGMA synchronous=NORMAL;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteParameter AddParameter(SqliteCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        cmd.Parameters.Add(p);
        return p;
    }
}
