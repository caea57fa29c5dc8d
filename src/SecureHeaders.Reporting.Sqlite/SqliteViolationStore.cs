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

        // BEGIN IMMEDIATE: one process migrates while the others wait, then find the file current.
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Transaction = tx;
        cmd.CommandText = SqliteSchema.CreateVersionTable;
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        cmd.CommandText = "SELECT coalesce(max(version), 0) FROM sh_schema_version";
        var version = Convert.ToInt32(await cmd.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"{DatabasePath} has schema version {version}, newer than the {SqliteSchema.CurrentVersion} this SecureHeaders understands; upgrade SecureHeaders or use another file.");
        }

        cmd.Parameters.AddWithValue("$at", ViolationColumns.ToUnixMs(DateTimeOffset.UtcNow));
        var versionParameter = cmd.Parameters.AddWithValue("$version", 0);
        for (var step = version; step < SqliteSchema.CurrentVersion; step++)
        {
            cmd.CommandText = SqliteSchema.Migrations[step];
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
            versionParameter.Value = step + 1;
            cmd.CommandText = "INSERT INTO sh_schema_version (version, applied_at) VALUES ($version, $at)";
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        cmd.CommandText = "INSERT INTO sh_meta (key, value) VALUES ('pseudonym-key', $key) ON CONFLICT (key) DO NOTHING";
        cmd.Parameters.AddWithValue("$key", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        await tx.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>The schema version of the file (0 before initialisation).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    internal async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = "SELECT coalesce(max(version), 0) FROM sh_schema_version";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
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

        await WriteTalliesAsync(connection, tx, "sh_violation_documents", batch.Documents, cancellationToken).ConfigureAwait(false);
        await WriteTalliesAsync(connection, tx, "sh_violation_clients", batch.Clients, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteTalliesAsync(SqliteConnection connection, SqliteTransaction tx, string table, IReadOnlyList<ViolationTally> tallies, CancellationToken cancellationToken)
    {
        if (tallies.Count == 0)
        {
            return;
        }

        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Transaction = tx;
        cmd.CommandText = SqliteSchema.UpsertTally(table);
        var fp = AddParameter(cmd, "$fp");
        var value = AddParameter(cmd, "$value");
        var count = AddParameter(cmd, "$count");
        var first = AddParameter(cmd, "$first");
        var last = AddParameter(cmd, "$last");
        cmd.Parameters.AddWithValue("$cap", ViolationTally.MaxPerViolation);
        foreach (var t in tallies)
        {
            fp.Value = t.Fingerprint;
            value.Value = t.Value;
            count.Value = t.Count;
            first.Value = ViolationColumns.ToUnixMs(t.FirstSeen);
            last.Value = ViolationColumns.ToUnixMs(t.LastSeen);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
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
        if (fingerprints.Count == 0)
        {
            return [];
        }

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = FingerprintQuery(cmd, "SELECT fingerprint, sample, count, first_seen, last_seen FROM sh_violation_samples", fingerprints, "count DESC, sample");
        return await StoreRows.ReadAllAsync(cmd, static reader => new ViolationSample(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
            ViolationColumns.FromUnixMs(reader.GetInt64(3)), ViolationColumns.FromUnixMs(reader.GetInt64(4))), cancellationToken).ConfigureAwait(false);
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

        return await StoreRows.ReadAllAsync(cmd, static reader => new TimelinePoint(ViolationColumns.FromUnixMs(reader.GetInt64(0)), reader.GetInt64(1)), cancellationToken).ConfigureAwait(false);
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
        foreach (var table in new[] { "sh_violation_samples", "sh_violation_documents", "sh_violation_clients" })
        {
            cmd.CommandText = $"DELETE FROM {table} WHERE fingerprint NOT IN (SELECT fingerprint FROM sh_violations)";
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public async Task<ViolationEvidence> GetEvidenceAsync(IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fingerprints);
        if (fingerprints.Count == 0)
        {
            return ViolationEvidence.Empty;
        }

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var documents = await ReadTalliesAsync(connection, "sh_violation_documents", fingerprints, cancellationToken).ConfigureAwait(false);
        var clients = await ReadTalliesAsync(connection, "sh_violation_clients", fingerprints, cancellationToken).ConfigureAwait(false);
        return new ViolationEvidence(documents, clients);
    }

    // SQLite has no array parameters: one named parameter per fingerprint in an IN list.
    private static string FingerprintQuery(SqliteCommand cmd, string select, IEnumerable<string> fingerprints, string orderBy)
    {
        var sql = new StringBuilder(select).Append(" WHERE fingerprint IN (");
        var i = 0;
        foreach (var fp in fingerprints)
        {
            var name = "$f" + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? name : "," + name);
            cmd.Parameters.AddWithValue(name, fp);
            i++;
        }

        return sql.Append(") ORDER BY ").Append(orderBy).ToString();
    }

    private static async Task<List<ViolationTally>> ReadTalliesAsync(SqliteConnection connection, string table, IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken)
    {
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = FingerprintQuery(cmd, "SELECT fingerprint, value, count, first_seen, last_seen FROM " + table, fingerprints, "fingerprint, count DESC, value");
        return await StoreRows.ReadAllAsync(cmd, static reader => new ViolationTally(reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
            ViolationColumns.FromUnixMs(reader.GetInt64(3)), ViolationColumns.FromUnixMs(reader.GetInt64(4))), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LearningSession> StartSessionAsync(string? name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$at", ViolationColumns.ToUnixMs(at));
        cmd.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
        cmd.CommandText = "UPDATE sh_sessions SET ended_at = $at WHERE ended_at IS NULL";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "INSERT INTO sh_sessions (name, started_at) VALUES ($name, $at) RETURNING id";
        var id = Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LearningSession(id, name, ViolationColumns.FromUnixMs(ViolationColumns.ToUnixMs(at)), null);
    }

    /// <inheritdoc />
    public async Task<LearningSession?> EndSessionAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$at", ViolationColumns.ToUnixMs(at));
        cmd.CommandText = "UPDATE sh_sessions SET ended_at = max($at, started_at) WHERE id = $id AND ended_at IS NULL";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "SELECT id, name, started_at, ended_at FROM sh_sessions WHERE id = $id";
        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? LearningColumns.ReadSession(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = "SELECT id, name, started_at, ended_at FROM sh_sessions ORDER BY id DESC";
        return await StoreRows.ReadAllAsync(cmd, LearningColumns.ReadSession, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordAppPoliciesAsync(AppPolicySnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Transaction = tx;
        cmd.CommandText = "DELETE FROM sh_app_policies; DELETE FROM sh_app_hashes;";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "INSERT OR REPLACE INTO sh_app_policies (name, disposition, csp, recorded_at) VALUES ($name, $disposition, $csp, $at)";
        var name = AddParameter(cmd, "$name");
        var disposition = AddParameter(cmd, "$disposition");
        var csp = AddParameter(cmd, "$csp");
        cmd.Parameters.AddWithValue("$at", ViolationColumns.ToUnixMs(snapshot.RecordedAt));
        foreach (var p in snapshot.Policies)
        {
            name.Value = p.Name;
            disposition.Value = p.Disposition;
            csp.Value = p.Csp;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        cmd.Parameters.Clear();
        cmd.CommandText = "INSERT OR IGNORE INTO sh_app_hashes (hash, kind) VALUES ($hash, $kind)";
        var hash = AddParameter(cmd, "$hash");
        var kind = AddParameter(cmd, "$kind");
        foreach (var h in snapshot.InlineHashes)
        {
            hash.Value = h.Hash;
            kind.Value = h.Kind;
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AppPolicySnapshot> GetAppPoliciesAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = "SELECT name, disposition, csp, recorded_at FROM sh_app_policies ORDER BY name, disposition";
        var policies = new List<AppPolicy>();
        var recordedAt = DateTimeOffset.MinValue;
        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                policies.Add(new AppPolicy(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                recordedAt = ViolationColumns.FromUnixMs(reader.GetInt64(3));
            }
        }

        cmd.CommandText = "SELECT hash, kind FROM sh_app_hashes ORDER BY kind, hash";
        var hashes = new List<AppInlineHash>();
        var hashReader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (hashReader.ConfigureAwait(false))
        {
            while (await hashReader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                hashes.Add(new AppInlineHash(hashReader.GetString(0), hashReader.GetString(1)));
            }
        }

        return policies.Count == 0 && hashes.Count == 0 ? AppPolicySnapshot.Empty : new AppPolicySnapshot(policies, hashes, recordedAt);
    }

    /// <inheritdoc />
    public async Task AddOptInAsync(LearningOptIn optIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(optIn);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = "INSERT INTO sh_opt_ins (policy, directive, source, reason, decided_by, decided_at) VALUES ($policy, $directive, $source, $reason, $by, $at)";
        cmd.Parameters.AddWithValue("$policy", optIn.Policy);
        cmd.Parameters.AddWithValue("$directive", optIn.Directive);
        cmd.Parameters.AddWithValue("$source", optIn.Source);
        cmd.Parameters.AddWithValue("$reason", optIn.Reason);
        cmd.Parameters.AddWithValue("$by", optIn.By);
        cmd.Parameters.AddWithValue("$at", ViolationColumns.ToUnixMs(optIn.At));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearningOptIn>> GetOptInsAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = "SELECT policy, directive, source, reason, decided_by, decided_at FROM sh_opt_ins ORDER BY id";
        return await StoreRows.ReadAllAsync(cmd, LearningColumns.ReadOptIn, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]> GetPseudonymKeyAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.CommandText = "SELECT value FROM sh_meta WHERE key = 'pseudonym-key'";
        return Convert.FromBase64String((string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
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
