using System.Data.Common;

namespace SecureHeaders.Reporting.Storage;

/// <summary>Row mapping of the learning tables, shared by the SQL stores.</summary>
internal static class LearningColumns
{
    /// <summary>Reads <c>id, name, started_at, ended_at</c>.</summary>
    public static LearningSession ReadSession(DbDataReader r) => new(
        r.GetInt64(0),
        r.IsDBNull(1) ? null : r.GetString(1),
        ViolationColumns.FromUnixMs(r.GetInt64(2)),
        r.IsDBNull(3) ? null : ViolationColumns.FromUnixMs(r.GetInt64(3)));

    /// <summary>Reads <c>policy, directive, source, reason, decided_by, decided_at</c>.</summary>
    public static LearningOptIn ReadOptIn(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), ViolationColumns.FromUnixMs(r.GetInt64(5)));
}
