using Microsoft.Data.Sqlite;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.Sqlite;

/// <summary>SQL of the SQLite store. Times are unix milliseconds; hours are the millisecond start of the hour.</summary>
internal static class SqliteSchema
{
    /// <summary>The schema version this code writes; <see cref="Migrations"/> bring any older file up to it.</summary>
    public const int CurrentVersion = 2;

    /// <summary>One row per applied step, so the next schema change knows where a file stands.</summary>
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS sh_schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            applied_at INTEGER NOT NULL
        );
        """;

    /// <summary>
    /// Version 1, exactly as the first release created it (files from before the version table have these tables and
    /// no version row). Every statement is IF NOT EXISTS, so on such a file it changes nothing.
    /// </summary>
    public const string Version1 = """
        CREATE TABLE IF NOT EXISTS sh_violations (
            fingerprint     TEXT    NOT NULL PRIMARY KEY,
            type            TEXT    NOT NULL,
            disposition     TEXT    NOT NULL,
            document_origin TEXT    NOT NULL,
            directive       TEXT    NOT NULL,
            blocked_uri     TEXT    NOT NULL,
            source_host     TEXT    NOT NULL,
            count           INTEGER NOT NULL,
            first_seen      INTEGER NOT NULL,
            last_seen       INTEGER NOT NULL,
            document_url    TEXT,
            blocked_url     TEXT,
            source_file     TEXT,
            line_number     INTEGER,
            column_number   INTEGER,
            sample          TEXT,
            original_policy TEXT,
            status_code     INTEGER
        );
        CREATE INDEX IF NOT EXISTS sh_violations_last_seen ON sh_violations (last_seen);
        CREATE INDEX IF NOT EXISTS sh_violations_directive ON sh_violations (directive);
        CREATE TABLE IF NOT EXISTS sh_violation_hours (
            fingerprint TEXT    NOT NULL,
            hour        INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            PRIMARY KEY (fingerprint, hour)
        );
        CREATE INDEX IF NOT EXISTS sh_violation_hours_hour ON sh_violation_hours (hour);
        CREATE TABLE IF NOT EXISTS sh_violation_samples (
            fingerprint TEXT    NOT NULL,
            sample      TEXT    NOT NULL,
            count       INTEGER NOT NULL,
            first_seen  INTEGER NOT NULL,
            last_seen   INTEGER NOT NULL,
            PRIMARY KEY (fingerprint, sample)
        );
        """;

    /// <summary>
    /// Version 2, learning: which policy and session each violation belongs to, the pages and clients behind it, the
    /// app's own compiled policies, learning sessions, opt-ins and the client pseudonym key. Existing rows keep their
    /// fingerprints and become unattributed (policy '', session 0).
    /// </summary>
    public const string Version2 = """
        ALTER TABLE sh_violations ADD COLUMN policy TEXT NOT NULL DEFAULT '';
        ALTER TABLE sh_violations ADD COLUMN session_id INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX sh_violations_policy ON sh_violations (policy, session_id);
        CREATE TABLE sh_violation_documents (
            fingerprint TEXT    NOT NULL,
            value       TEXT    NOT NULL,
            count       INTEGER NOT NULL,
            first_seen  INTEGER NOT NULL,
            last_seen   INTEGER NOT NULL,
            PRIMARY KEY (fingerprint, value)
        );
        CREATE TABLE sh_violation_clients (
            fingerprint TEXT    NOT NULL,
            value       TEXT    NOT NULL,
            count       INTEGER NOT NULL,
            first_seen  INTEGER NOT NULL,
            last_seen   INTEGER NOT NULL,
            PRIMARY KEY (fingerprint, value)
        );
        CREATE TABLE sh_sessions (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            name       TEXT,
            started_at INTEGER NOT NULL,
            ended_at   INTEGER
        );
        CREATE TABLE sh_app_policies (
            name        TEXT    NOT NULL,
            disposition TEXT    NOT NULL,
            csp         TEXT    NOT NULL,
            recorded_at INTEGER NOT NULL,
            PRIMARY KEY (name, disposition)
        );
        CREATE TABLE sh_app_hashes (
            hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (hash, kind)
        );
        CREATE TABLE sh_opt_ins (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            policy     TEXT    NOT NULL,
            directive  TEXT    NOT NULL,
            source     TEXT    NOT NULL,
            reason     TEXT    NOT NULL,
            decided_by TEXT    NOT NULL,
            decided_at INTEGER NOT NULL
        );
        CREATE TABLE sh_meta (
            key   TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        """;

    /// <summary>The steps, in order: step <c>i</c> brings a file from version <c>i</c> to <c>i + 1</c>.</summary>
    public static readonly string[] Migrations = [Version1, Version2];

    // Counts add up, the time span widens, and the example fields follow the newest report.
    public const string UpsertViolation = """
        INSERT INTO sh_violations (fingerprint, type, disposition, document_origin, directive, blocked_uri, source_host,
            count, first_seen, last_seen, document_url, blocked_url, source_file, line_number, column_number, sample,
            original_policy, status_code, policy, session_id)
        VALUES ($fp, $type, $disposition, $origin, $directive, $blocked, $sourceHost, $count, $first, $last,
            $documentUrl, $blockedUrl, $sourceFile, $line, $column, $sample, $policy, $status, $attributed, $session)
        ON CONFLICT (fingerprint) DO UPDATE SET
            count = count + excluded.count,
            first_seen = min(first_seen, excluded.first_seen),
            document_url    = CASE WHEN excluded.last_seen >= last_seen THEN excluded.document_url ELSE document_url END,
            blocked_url     = CASE WHEN excluded.last_seen >= last_seen THEN excluded.blocked_url ELSE blocked_url END,
            source_file     = CASE WHEN excluded.last_seen >= last_seen THEN excluded.source_file ELSE source_file END,
            line_number     = CASE WHEN excluded.last_seen >= last_seen THEN excluded.line_number ELSE line_number END,
            column_number   = CASE WHEN excluded.last_seen >= last_seen THEN excluded.column_number ELSE column_number END,
            original_policy = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.original_policy, original_policy) ELSE original_policy END,
            status_code     = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.status_code, status_code) ELSE status_code END,
            sample          = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.sample, sample) ELSE coalesce(sample, excluded.sample) END,
            last_seen = max(last_seen, excluded.last_seen)
        """;

    public const string UpsertHour = """
        INSERT INTO sh_violation_hours (fingerprint, hour, count) VALUES ($fp, $hour, $count)
        ON CONFLICT (fingerprint, hour) DO UPDATE SET count = count + excluded.count
        """;

    // A new page or client is only added while the violation has fewer than the cap; known ones always count up.
    public static string UpsertTally(string table) => $"""
        INSERT INTO {table} (fingerprint, value, count, first_seen, last_seen)
        SELECT $fp, $value, $count, $first, $last
        WHERE EXISTS (SELECT 1 FROM {table} WHERE fingerprint = $fp AND value = $value)
           OR (SELECT count(*) FROM {table} WHERE fingerprint = $fp) < $cap
        ON CONFLICT (fingerprint, value) DO UPDATE SET
            count = count + excluded.count,
            first_seen = min(first_seen, excluded.first_seen),
            last_seen = max(last_seen, excluded.last_seen)
        """;

    // A new sample is only added while the violation has fewer than the cap; known samples always count up.
    public const string UpsertSample = """
        INSERT INTO sh_violation_samples (fingerprint, sample, count, first_seen, last_seen)
        SELECT $fp, $sample, $count, $first, $last
        WHERE EXISTS (SELECT 1 FROM sh_violation_samples WHERE fingerprint = $fp AND sample = $sample)
           OR (SELECT count(*) FROM sh_violation_samples WHERE fingerprint = $fp) < $cap
        ON CONFLICT (fingerprint, sample) DO UPDATE SET
            count = count + excluded.count,
            first_seen = min(first_seen, excluded.first_seen),
            last_seen = max(last_seen, excluded.last_seen)
        """;

    internal sealed record ViolationParameters(SqliteParameter[] All);

    public static ViolationParameters AddViolationParameters(SqliteCommand cmd)
    {
        string[] names = ["$fp", "$type", "$disposition", "$origin", "$directive", "$blocked", "$sourceHost", "$count", "$first", "$last",
            "$documentUrl", "$blockedUrl", "$sourceFile", "$line", "$column", "$sample", "$policy", "$status", "$attributed", "$session"];
        var all = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            // No explicit type: each value binds with its own (text, integer or NULL).
            all[i] = cmd.CreateParameter();
            all[i].ParameterName = names[i];
            cmd.Parameters.Add(all[i]);
        }

        return new ViolationParameters(all);
    }

    public static void Bind(ViolationParameters p, Violation v)
    {
        var a = p.All;
        a[0].Value = v.Fingerprint;
        a[1].Value = v.Type;
        a[2].Value = v.Disposition;
        a[3].Value = v.DocumentOrigin;
        a[4].Value = v.Directive;
        a[5].Value = v.BlockedUri;
        a[6].Value = v.SourceHost;
        a[7].Value = v.Count;
        a[8].Value = ViolationColumns.ToUnixMs(v.FirstSeen);
        a[9].Value = ViolationColumns.ToUnixMs(v.LastSeen);
        a[10].Value = (object?)v.DocumentUrl ?? DBNull.Value;
        a[11].Value = (object?)v.BlockedUrl ?? DBNull.Value;
        a[12].Value = (object?)v.SourceFile ?? DBNull.Value;
        a[13].Value = (object?)v.LineNumber ?? DBNull.Value;
        a[14].Value = (object?)v.ColumnNumber ?? DBNull.Value;
        a[15].Value = (object?)v.Sample ?? DBNull.Value;
        a[16].Value = (object?)v.OriginalPolicy ?? DBNull.Value;
        a[17].Value = (object?)v.StatusCode ?? DBNull.Value;
        a[18].Value = v.Policy;
        a[19].Value = v.Session;
    }
}
