namespace SecureHeaders.Reporting.PostgreSql;

/// <summary>Settings of the PostgreSQL store, bound from <c>SecureHeaders:Reporting:PostgreSql</c>.</summary>
public sealed class PostgreSqlViolationStoreOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string ConfigurationSection = "SecureHeaders:Reporting:PostgreSql";

    /// <summary>Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Schema that holds the tables; created on start when missing. Letters, digits and underscores only. Default <c>secureheaders</c>.</summary>
    public string Schema { get; set; } = "secureheaders";
}
