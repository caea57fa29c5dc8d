using System.Data.Common;
using System.Text;

namespace SecureHeaders.Reporting.Storage;

/// <summary>
/// Column list, row mapping and query clauses shared by the SQL stores, so both return identical <see cref="Violation"/>
/// values and read a <see cref="ViolationQuery"/> the same way.
/// </summary>
internal static class ViolationColumns
{
    public const string Select =
        "fingerprint, type, disposition, document_origin, directive, blocked_uri, source_host, count, first_seen, last_seen, " +
        "document_url, blocked_url, source_file, line_number, column_number, sample, original_policy, status_code, policy, session_id";

    public static Violation Read(DbDataReader r) => new()
    {
        Fingerprint = r.GetString(0),
        Type = r.GetString(1),
        Disposition = r.GetString(2),
        DocumentOrigin = r.GetString(3),
        Directive = r.GetString(4),
        BlockedUri = r.GetString(5),
        SourceHost = r.GetString(6),
        Count = r.GetInt64(7),
        FirstSeen = FromUnixMs(r.GetInt64(8)),
        LastSeen = FromUnixMs(r.GetInt64(9)),
        DocumentUrl = StringOrNull(r, 10),
        BlockedUrl = StringOrNull(r, 11),
        SourceFile = StringOrNull(r, 12),
        LineNumber = IntOrNull(r, 13),
        ColumnNumber = IntOrNull(r, 14),
        Sample = StringOrNull(r, 15),
        OriginalPolicy = StringOrNull(r, 16),
        StatusCode = IntOrNull(r, 17),
        Policy = r.GetString(18),
        Session = r.GetInt64(19),
    };

    /// <summary>
    /// The WHERE clause for the filters of <paramref name="query"/> (empty when it has none); the values are added to
    /// <paramref name="cmd"/> as <c>@name</c> parameters, which SQLite and Npgsql both accept.
    /// </summary>
    public static string Where(DbCommand cmd, ViolationQuery query)
    {
        var sb = new StringBuilder();
        void Add(string condition, string name, object value)
        {
            sb.Append(sb.Length == 0 ? " WHERE " : " AND ").Append(condition);
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            cmd.Parameters.Add(parameter);
        }

        if (query.Since is { } since) { Add("last_seen >= @since", "@since", ToUnixMs(since)); }
        if (query.Directive is { } d) { Add("directive = @directive", "@directive", d); }
        if (query.Type is { } t) { Add("type = @type", "@type", t); }
        if (query.Disposition is { } disp) { Add("disposition = @disposition", "@disposition", disp); }
        if (query.Policy is { } policy) { Add("policy = @policy", "@policy", policy); }
        if (query.Session is { } session) { Add("session_id = @session", "@session", session); }
        return sb.ToString();
    }

    /// <summary>The sort keys of <paramref name="query"/>; each store appends the fingerprint tie-break in its own byte-wise collation.</summary>
    public static string OrderBy(ViolationQuery query) =>
        query.OrderBy == ViolationOrder.LastSeen ? "last_seen DESC, count DESC" : "count DESC, last_seen DESC";

    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Hours are stored as unix milliseconds of the hour's start.</summary>
    public static long HourOf(DateTimeOffset value)
    {
        var ms = value.ToUnixTimeMilliseconds();
        return ms - (((ms % 3_600_000) + 3_600_000) % 3_600_000);
    }

    private static string? StringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static int? IntOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : checked((int)r.GetInt64(i));
}
