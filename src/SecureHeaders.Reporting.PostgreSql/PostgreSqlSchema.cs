namespace SecureHeaders.Reporting.PostgreSql;

/// <summary>SQL of the PostgreSQL store, with the schema name spliced in once (it is validated as an identifier).</summary>
internal sealed class PostgreSqlSchema
{
    public PostgreSqlSchema(string schema)
    {
        var s = "\"" + schema + "\"";
        Violations = s + ".sh_violations";
        Hours = s + ".sh_violation_hours";
        Samples = s + ".sh_violation_samples";

        Create = $"""
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {Violations} (
                fingerprint     text    NOT NULL PRIMARY KEY,
                type            text    NOT NULL,
                disposition     text    NOT NULL,
                document_origin text    NOT NULL,
                directive       text    NOT NULL,
                blocked_uri     text    NOT NULL,
                source_host     text    NOT NULL,
                count           bigint  NOT NULL,
                first_seen      bigint  NOT NULL,
                last_seen       bigint  NOT NULL,
                document_url    text,
                blocked_url     text,
                source_file     text,
                line_number     integer,
                column_number   integer,
                sample          text,
                original_policy text,
                status_code     integer
            );
            CREATE INDEX IF NOT EXISTS sh_violations_last_seen ON {Violations} (last_seen);
            CREATE INDEX IF NOT EXISTS sh_violations_directive ON {Violations} (directive);
            CREATE TABLE IF NOT EXISTS {Hours} (
                fingerprint text   NOT NULL,
                hour        bigint NOT NULL,
                count       bigint NOT NULL,
                PRIMARY KEY (fingerprint, hour)
            );
            CREATE INDEX IF NOT EXISTS sh_violation_hours_hour ON {Hours} (hour);
            CREATE TABLE IF NOT EXISTS {Samples} (
                fingerprint text   NOT NULL,
                sample      text   NOT NULL,
                count       bigint NOT NULL,
                first_seen  bigint NOT NULL,
                last_seen   bigint NOT NULL,
                PRIMARY KEY (fingerprint, sample)
            );
            """;

        // One statement per batch: arrays in, rows merged by ON CONFLICT, which is atomic per row across instances.
        UpsertViolations = $"""
            INSERT INTO {Violations} AS t (fingerprint, type, disposition, document_origin, directive, blocked_uri, source_host,
                count, first_seen, last_seen, document_url, blocked_url, source_file, line_number, column_number, sample,
                original_policy, status_code)
            SELECT * FROM unnest(@fp::text[], @type::text[], @disposition::text[], @origin::text[], @directive::text[],
                @blocked::text[], @source_host::text[], @count::bigint[], @first::bigint[], @last::bigint[], @document_url::text[],
                @blocked_url::text[], @source_file::text[], @line::integer[], @col::integer[], @sample::text[], @policy::text[], @status::integer[])
            ON CONFLICT (fingerprint) DO UPDATE SET
                count = t.count + excluded.count,
                first_seen = LEAST(t.first_seen, excluded.first_seen),
                document_url    = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.document_url ELSE t.document_url END,
                blocked_url     = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.blocked_url ELSE t.blocked_url END,
                source_file     = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.source_file ELSE t.source_file END,
                line_number     = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.line_number ELSE t.line_number END,
                column_number   = CASE WHEN excluded.last_seen >= t.last_seen THEN excluded.column_number ELSE t.column_number END,
                original_policy = CASE WHEN excluded.last_seen >= t.last_seen THEN coalesce(excluded.original_policy, t.original_policy) ELSE t.original_policy END,
                status_code     = CASE WHEN excluded.last_seen >= t.last_seen THEN coalesce(excluded.status_code, t.status_code) ELSE t.status_code END,
                sample          = CASE WHEN excluded.last_seen >= t.last_seen THEN coalesce(excluded.sample, t.sample) ELSE coalesce(t.sample, excluded.sample) END,
                last_seen = GREATEST(t.last_seen, excluded.last_seen)
            """;

        UpsertHours = $"""
            INSERT INTO {Hours} AS t (fingerprint, hour, count)
            SELECT * FROM unnest(@fp::text[], @hour::bigint[], @count::bigint[])
            ON CONFLICT (fingerprint, hour) DO UPDATE SET count = t.count + excluded.count
            """;

        // New samples are ranked per violation so that one statement cannot push a violation past the cap;
        // samples already stored always count up.
        UpsertSamples = $"""
            WITH u AS (
                SELECT * FROM unnest(@fp::text[], @sample::text[], @count::bigint[], @first::bigint[], @last::bigint[])
                    AS u(fp, sample, count, first_seen, last_seen)
            ), known AS (
                SELECT u.*, EXISTS (SELECT 1 FROM {Samples} x WHERE x.fingerprint = u.fp AND x.sample = u.sample) AS present,
                    (SELECT count(*) FROM {Samples} x WHERE x.fingerprint = u.fp) AS have
                FROM u
            ), ranked AS (
                SELECT k.*, row_number() OVER (PARTITION BY k.fp, k.present ORDER BY k.count DESC, k.sample) AS rn FROM known k
            )
            INSERT INTO {Samples} AS t (fingerprint, sample, count, first_seen, last_seen)
            SELECT fp, sample, count, first_seen, last_seen FROM ranked WHERE present OR have + rn <= @cap ORDER BY fp, sample
            ON CONFLICT (fingerprint, sample) DO UPDATE SET
                count = t.count + excluded.count,
                first_seen = LEAST(t.first_seen, excluded.first_seen),
                last_seen = GREATEST(t.last_seen, excluded.last_seen)
            """;
    }

    public string Violations { get; }

    public string Hours { get; }

    public string Samples { get; }

    public string Create { get; }

    public string UpsertViolations { get; }

    public string UpsertHours { get; }

    public string UpsertSamples { get; }
}
