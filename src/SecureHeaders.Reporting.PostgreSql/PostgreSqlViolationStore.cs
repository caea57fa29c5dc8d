using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.PostgreSql;

/// <summary>
/// A store shared by several app instances: every write is an upsert that adds counts inside PostgreSQL, rows are
/// written in fingerprint order so concurrent batches lock in the same order (no deadlocks), schema creation and
/// retention are serialised with advisory locks.
/// </summary>
public sealed class PostgreSqlViolationStore : IViolationStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlSchema _sql;
    private readonly string _schemaName;
    private readonly Lock _initGate = new();
    private Task? _initialization;

    /// <summary>Creates a store that opens its own connection pool from <paramref name="options"/>.</summary>
    /// <param name="options">Connection string and schema.</param>
    public PostgreSqlViolationStore(PostgreSqlViolationStoreOptions options)
        : this(NpgsqlDataSource.Create(Validate(options).ConnectionString), options.Schema, ownsDataSource: true)
    {
    }

    /// <summary>Creates a store over an existing data source, which the caller keeps and disposes.</summary>
    /// <param name="dataSource">The app's Npgsql data source.</param>
    /// <param name="schema">Schema that holds the tables.</param>
    public PostgreSqlViolationStore(NpgsqlDataSource dataSource, string schema = "secureheaders")
        : this(dataSource, schema, ownsDataSource: false)
    {
    }

    private PostgreSqlViolationStore(NpgsqlDataSource dataSource, string schema, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (!IsIdentifier(schema))
        {
            throw new ArgumentException($"Schema '{schema}' must be letters, digits and underscores, not starting with a digit.", nameof(schema));
        }

        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _schemaName = schema;
        _sql = new PostgreSqlSchema(schema);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var b = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database} schema {_schemaName}";
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (_initGate)
        {
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
            {
                _initialization = CreateSchemaAsync();
            }

            return _initialization.WaitAsync(cancellationToken);
        }
    }

    private async Task CreateSchemaAsync()
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        // Concurrent CREATE ... IF NOT EXISTS from several instances can still collide in the catalog; take turns.
        var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, tx);
        await using (lockCmd.ConfigureAwait(false))
        {
            lockCmd.Parameters.AddWithValue("key", "secureheaders.schema." + _schemaName);
            await lockCmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var cmd = new NpgsqlCommand(_sql.CreateVersionTable, connection, tx);
        await using (cmd.ConfigureAwait(false))
        {
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
            cmd.CommandText = $"SELECT coalesce(max(version), 0) FROM {_sql.VersionTable}";
            var version = Convert.ToInt32(await cmd.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (version > PostgreSqlSchema.CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"Schema {_schemaName} has version {version}, newer than the {PostgreSqlSchema.CurrentVersion} this SecureHeaders understands; upgrade SecureHeaders or use another schema.");
            }

            cmd.Parameters.AddWithValue("at", ViolationColumns.ToUnixMs(DateTimeOffset.UtcNow));
            var versionParameter = cmd.Parameters.AddWithValue("version", 0);
            for (var step = version; step < PostgreSqlSchema.CurrentVersion; step++)
            {
                cmd.CommandText = _sql.Migrations[step];
                await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
                versionParameter.Value = step + 1;
                cmd.CommandText = $"INSERT INTO {_sql.VersionTable} (version, applied_at) VALUES (@version, @at)";
                await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            cmd.CommandText = $"INSERT INTO {_sql.Meta} (key, value) VALUES ('pseudonym-key', @key) ON CONFLICT (key) DO NOTHING";
            cmd.Parameters.AddWithValue("key", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await tx.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>The schema version (0 before initialisation).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    internal async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand($"SELECT coalesce(max(version), 0) FROM {_sql.VersionTable}");
        await using var cmdScope = cmd.ConfigureAwait(false);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task WriteAsync(ViolationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);

        if (batch.Violations.Count > 0)
        {
            var rows = batch.Violations.OrderBy(v => v.Fingerprint, StringComparer.Ordinal).ToArray();
            var cmd = new NpgsqlCommand(_sql.UpsertViolations, connection, tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            Add(cmd, "fp", NpgsqlDbType.Text, rows.Select(v => v.Fingerprint).ToArray());
            Add(cmd, "type", NpgsqlDbType.Text, rows.Select(v => v.Type).ToArray());
            Add(cmd, "disposition", NpgsqlDbType.Text, rows.Select(v => v.Disposition).ToArray());
            Add(cmd, "origin", NpgsqlDbType.Text, rows.Select(v => v.DocumentOrigin).ToArray());
            Add(cmd, "directive", NpgsqlDbType.Text, rows.Select(v => v.Directive).ToArray());
            Add(cmd, "blocked", NpgsqlDbType.Text, rows.Select(v => v.BlockedUri).ToArray());
            Add(cmd, "source_host", NpgsqlDbType.Text, rows.Select(v => v.SourceHost).ToArray());
            Add(cmd, "count", NpgsqlDbType.Bigint, rows.Select(v => v.Count).ToArray());
            Add(cmd, "first", NpgsqlDbType.Bigint, rows.Select(v => ViolationColumns.ToUnixMs(v.FirstSeen)).ToArray());
            Add(cmd, "last", NpgsqlDbType.Bigint, rows.Select(v => ViolationColumns.ToUnixMs(v.LastSeen)).ToArray());
            Add(cmd, "document_url", NpgsqlDbType.Text, rows.Select(v => v.DocumentUrl).ToArray());
            Add(cmd, "blocked_url", NpgsqlDbType.Text, rows.Select(v => v.BlockedUrl).ToArray());
            Add(cmd, "source_file", NpgsqlDbType.Text, rows.Select(v => v.SourceFile).ToArray());
            Add(cmd, "line", NpgsqlDbType.Integer, rows.Select(v => v.LineNumber).ToArray());
            Add(cmd, "col", NpgsqlDbType.Integer, rows.Select(v => v.ColumnNumber).ToArray());
            Add(cmd, "sample", NpgsqlDbType.Text, rows.Select(v => v.Sample).ToArray());
            Add(cmd, "policy", NpgsqlDbType.Text, rows.Select(v => v.OriginalPolicy).ToArray());
            Add(cmd, "status", NpgsqlDbType.Integer, rows.Select(v => v.StatusCode).ToArray());
            Add(cmd, "attributed", NpgsqlDbType.Text, rows.Select(v => v.Policy).ToArray());
            Add(cmd, "session", NpgsqlDbType.Bigint, rows.Select(v => v.Session).ToArray());
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (batch.Hourly.Count > 0)
        {
            // The same fingerprint-hour twice in one statement would make ON CONFLICT fail; sum first.
            var hours = batch.Hourly
                .GroupBy(h => (h.Fingerprint, Hour: ViolationColumns.HourOf(h.Hour)))
                .Select(g => (g.Key.Fingerprint, g.Key.Hour, Count: g.Sum(h => h.Count)))
                .OrderBy(h => h.Fingerprint, StringComparer.Ordinal).ThenBy(h => h.Hour)
                .ToArray();
            var cmd = new NpgsqlCommand(_sql.UpsertHours, connection, tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            Add(cmd, "fp", NpgsqlDbType.Text, hours.Select(h => h.Fingerprint).ToArray());
            Add(cmd, "hour", NpgsqlDbType.Bigint, hours.Select(h => h.Hour).ToArray());
            Add(cmd, "count", NpgsqlDbType.Bigint, hours.Select(h => h.Count).ToArray());
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (batch.Samples.Count > 0)
        {
            var samples = batch.Samples
                .GroupBy(s => (s.Fingerprint, s.Sample))
                .Select(g => new ViolationSample(g.Key.Fingerprint, g.Key.Sample, g.Sum(s => s.Count), g.Min(s => s.FirstSeen), g.Max(s => s.LastSeen)))
                .OrderBy(s => s.Fingerprint, StringComparer.Ordinal).ThenBy(s => s.Sample, StringComparer.Ordinal)
                .ToArray();
            var cmd = new NpgsqlCommand(_sql.UpsertSamples, connection, tx);
            await using var cmdScope = cmd.ConfigureAwait(false);
            Add(cmd, "fp", NpgsqlDbType.Text, samples.Select(s => s.Fingerprint).ToArray());
            Add(cmd, "sample", NpgsqlDbType.Text, samples.Select(s => s.Sample).ToArray());
            Add(cmd, "count", NpgsqlDbType.Bigint, samples.Select(s => s.Count).ToArray());
            Add(cmd, "first", NpgsqlDbType.Bigint, samples.Select(s => ViolationColumns.ToUnixMs(s.FirstSeen)).ToArray());
            Add(cmd, "last", NpgsqlDbType.Bigint, samples.Select(s => ViolationColumns.ToUnixMs(s.LastSeen)).ToArray());
            cmd.Parameters.AddWithValue("cap", StoreLimits.MaxSamplesPerViolation);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await WriteTalliesAsync(connection, tx, _sql.Documents, batch.Documents, cancellationToken).ConfigureAwait(false);
        await WriteTalliesAsync(connection, tx, _sql.Clients, batch.Clients, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteTalliesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, IReadOnlyList<ViolationTally> tallies, CancellationToken cancellationToken)
    {
        if (tallies.Count == 0)
        {
            return;
        }

        var rows = tallies
            .GroupBy(t => (t.Fingerprint, t.Value))
            .Select(g => new ViolationTally(g.Key.Fingerprint, g.Key.Value, g.Sum(t => t.Count), g.Min(t => t.FirstSeen), g.Max(t => t.LastSeen)))
            .OrderBy(t => t.Fingerprint, StringComparer.Ordinal).ThenBy(t => t.Value, StringComparer.Ordinal)
            .ToArray();
        var cmd = new NpgsqlCommand(PostgreSqlSchema.UpsertTally(table), connection, tx);
        await using var cmdScope = cmd.ConfigureAwait(false);
        Add(cmd, "fp", NpgsqlDbType.Text, rows.Select(t => t.Fingerprint).ToArray());
        Add(cmd, "value", NpgsqlDbType.Text, rows.Select(t => t.Value).ToArray());
        Add(cmd, "count", NpgsqlDbType.Bigint, rows.Select(t => t.Count).ToArray());
        Add(cmd, "first", NpgsqlDbType.Bigint, rows.Select(t => ViolationColumns.ToUnixMs(t.FirstSeen)).ToArray());
        Add(cmd, "last", NpgsqlDbType.Bigint, rows.Select(t => ViolationColumns.ToUnixMs(t.LastSeen)).ToArray());
        cmd.Parameters.AddWithValue("cap", ViolationTally.MaxPerViolation);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        var where = ViolationColumns.Where(cmd, query);

        cmd.CommandText = $"SELECT coalesce(sum(count), 0)::bigint FROM {_sql.Violations}{where}";
        var total = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        var order = ViolationColumns.OrderBy(query);
        cmd.CommandText = $"SELECT {ViolationColumns.Select} FROM {_sql.Violations}{where} ORDER BY {order}, fingerprint COLLATE \"C\" LIMIT @limit";
        cmd.Parameters.AddWithValue("limit", StoreLimits.ClampLimit(query.Limit));
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

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = new NpgsqlCommand(
            $"SELECT fingerprint, sample, count, first_seen, last_seen FROM {_sql.Samples} WHERE fingerprint = ANY(@fps) ORDER BY count DESC, sample COLLATE \"C\"",
            connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        Add(cmd, "fps", NpgsqlDbType.Text, fingerprints.ToArray());
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
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var cmd = connection.CreateCommand();
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("since", ViolationColumns.HourOf(since));
        if (directive is null)
        {
            cmd.CommandText = $"SELECT hour, sum(count)::bigint FROM {_sql.Hours} WHERE hour >= @since GROUP BY hour ORDER BY hour";
        }
        else
        {
            cmd.CommandText = $"SELECT h.hour, sum(h.count)::bigint FROM {_sql.Hours} h JOIN {_sql.Violations} v ON v.fingerprint = h.fingerprint " +
                "WHERE h.hour >= @since AND v.directive = @directive GROUP BY h.hour ORDER BY h.hour";
            cmd.Parameters.AddWithValue("directive", directive);
        }

        return await StoreRows.ReadAllAsync(cmd, static reader => new TimelinePoint(ViolationColumns.FromUnixMs(reader.GetInt64(0)), reader.GetInt64(1)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> ApplyRetentionAsync(DateTimeOffset olderThan, int maxViolations, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtext(@key))", connection, tx);
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("key", "secureheaders.retention." + _schemaName);
        // Another instance is already cleaning up: once is enough.
        if (!(bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        cmd.Parameters.Clear();
        cmd.Parameters.AddWithValue("cutoff", ViolationColumns.ToUnixMs(olderThan));
        cmd.Parameters.AddWithValue("cutoff_hour", ViolationColumns.HourOf(olderThan));
        cmd.Parameters.AddWithValue("max", (long)Math.Max(0, maxViolations));
        cmd.CommandText = $"DELETE FROM {_sql.Violations} WHERE last_seen < @cutoff";
        var deleted = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = $"DELETE FROM {_sql.Violations} WHERE fingerprint IN " +
            $"(SELECT fingerprint FROM {_sql.Violations} ORDER BY last_seen DESC, fingerprint COLLATE \"C\" OFFSET @max)";
        deleted += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = $"DELETE FROM {_sql.Hours} h WHERE h.hour < @cutoff_hour " +
            $"OR NOT EXISTS (SELECT 1 FROM {_sql.Violations} v WHERE v.fingerprint = h.fingerprint)";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var table in new[] { _sql.Samples, _sql.Documents, _sql.Clients })
        {
            cmd.CommandText = $"DELETE FROM {table} s WHERE NOT EXISTS (SELECT 1 FROM {_sql.Violations} v WHERE v.fingerprint = s.fingerprint)";
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

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var documents = await ReadTalliesAsync(connection, _sql.Documents, fingerprints, cancellationToken).ConfigureAwait(false);
        var clients = await ReadTalliesAsync(connection, _sql.Clients, fingerprints, cancellationToken).ConfigureAwait(false);
        return new ViolationEvidence(documents, clients);
    }

    private static async Task<List<ViolationTally>> ReadTalliesAsync(NpgsqlConnection connection, string table, IReadOnlyCollection<string> fingerprints, CancellationToken cancellationToken)
    {
        var cmd = new NpgsqlCommand(
            $"SELECT fingerprint, value, count, first_seen, last_seen FROM {table} WHERE fingerprint = ANY(@fps) ORDER BY fingerprint COLLATE \"C\", count DESC, value COLLATE \"C\"",
            connection);
        await using var cmdScope = cmd.ConfigureAwait(false);
        Add(cmd, "fps", NpgsqlDbType.Text, fingerprints.ToArray());
        return await StoreRows.ReadAllAsync(cmd, static reader => new ViolationTally(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), ViolationColumns.FromUnixMs(reader.GetInt64(3)), ViolationColumns.FromUnixMs(reader.GetInt64(4))), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LearningSession> StartSessionAsync(string? name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@key))", connection, tx);
        await using var cmdScope = cmd.ConfigureAwait(false);
        // One open session at a time across instances.
        cmd.Parameters.AddWithValue("key", "secureheaders.sessions." + _schemaName);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.Parameters.Clear();
        cmd.Parameters.AddWithValue("at", ViolationColumns.ToUnixMs(at));
        cmd.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = (object?)name ?? DBNull.Value });
        cmd.CommandText = $"UPDATE {_sql.Sessions} SET ended_at = @at WHERE ended_at IS NULL";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = $"INSERT INTO {_sql.Sessions} (name, started_at) VALUES (@name, @at) RETURNING id";
        var id = (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LearningSession(id, name, ViolationColumns.FromUnixMs(ViolationColumns.ToUnixMs(at)), null);
    }

    /// <inheritdoc />
    public async Task<LearningSession?> EndSessionAsync(long id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand($"UPDATE {_sql.Sessions} SET ended_at = GREATEST(@at, started_at) WHERE id = @id AND ended_at IS NULL");
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("at", ViolationColumns.ToUnixMs(at));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = $"SELECT id, name, started_at, ended_at FROM {_sql.Sessions} WHERE id = @id";
        var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? LearningColumns.ReadSession(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand($"SELECT id, name, started_at, ended_at FROM {_sql.Sessions} ORDER BY id DESC");
        await using var cmdScope = cmd.ConfigureAwait(false);
        return await StoreRows.ReadAllAsync(cmd, LearningColumns.ReadSession, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordAppPoliciesAsync(AppPolicySnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var txScope = tx.ConfigureAwait(false);
        var cmd = new NpgsqlCommand($"DELETE FROM {_sql.AppPolicies}; DELETE FROM {_sql.AppHashes};", connection, tx);
        await using var cmdScope = cmd.ConfigureAwait(false);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var policies = snapshot.Policies.DistinctBy(p => (p.Name, p.Disposition)).ToArray();
        if (policies.Length > 0)
        {
            cmd.CommandText = $"INSERT INTO {_sql.AppPolicies} (name, disposition, csp, recorded_at) SELECT n, d, c, @at FROM unnest(@names::text[], @dispositions::text[], @csps::text[]) AS u(n, d, c)";
            Add(cmd, "names", NpgsqlDbType.Text, policies.Select(p => p.Name).ToArray());
            Add(cmd, "dispositions", NpgsqlDbType.Text, policies.Select(p => p.Disposition).ToArray());
            Add(cmd, "csps", NpgsqlDbType.Text, policies.Select(p => p.Csp).ToArray());
            cmd.Parameters.AddWithValue("at", ViolationColumns.ToUnixMs(snapshot.RecordedAt));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var hashes = snapshot.InlineHashes.Distinct().ToArray();
        if (hashes.Length > 0)
        {
            cmd.Parameters.Clear();
            cmd.CommandText = $"INSERT INTO {_sql.AppHashes} (hash, kind) SELECT * FROM unnest(@hashes::text[], @kinds::text[]) ON CONFLICT DO NOTHING";
            Add(cmd, "hashes", NpgsqlDbType.Text, hashes.Select(h => h.Hash).ToArray());
            Add(cmd, "kinds", NpgsqlDbType.Text, hashes.Select(h => h.Kind).ToArray());
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AppPolicySnapshot> GetAppPoliciesAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand($"SELECT name, disposition, csp, recorded_at FROM {_sql.AppPolicies} ORDER BY name COLLATE \"C\", disposition COLLATE \"C\"");
        await using var cmdScope = cmd.ConfigureAwait(false);
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

        cmd.CommandText = $"SELECT hash, kind FROM {_sql.AppHashes} ORDER BY kind COLLATE \"C\", hash COLLATE \"C\"";
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
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand(
            $"INSERT INTO {_sql.OptIns} (policy, directive, source, reason, decided_by, decided_at) VALUES (@policy, @directive, @source, @reason, @by, @at)");
        await using var cmdScope = cmd.ConfigureAwait(false);
        cmd.Parameters.AddWithValue("policy", optIn.Policy);
        cmd.Parameters.AddWithValue("directive", optIn.Directive);
        cmd.Parameters.AddWithValue("source", optIn.Source);
        cmd.Parameters.AddWithValue("reason", optIn.Reason);
        cmd.Parameters.AddWithValue("by", optIn.By);
        cmd.Parameters.AddWithValue("at", ViolationColumns.ToUnixMs(optIn.At));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LearningOptIn>> GetOptInsAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand($"SELECT policy, directive, source, reason, decided_by, decided_at FROM {_sql.OptIns} ORDER BY id");
        await using var cmdScope = cmd.ConfigureAwait(false);
        return await StoreRows.ReadAllAsync(cmd, LearningColumns.ReadOptIn, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]> GetPseudonymKeyAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var cmd = _dataSource.CreateCommand($"SELECT value FROM {_sql.Meta} WHERE key = 'pseudonym-key'");
        await using var cmdScope = cmd.ConfigureAwait(false);
        return Convert.FromBase64String((string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Add<T>(NpgsqlCommand cmd, string name, NpgsqlDbType elementType, T[] values) =>
        cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | elementType) { Value = values });

    private static PostgreSqlViolationStoreOptions Validate(PostgreSqlViolationStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException(
                $"{PostgreSqlViolationStoreOptions.ConfigurationSection}:ConnectionString is empty; set it to an Npgsql connection string.", nameof(options));
        }

        return options;
    }

    private static bool IsIdentifier(string value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || char.IsAsciiDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
