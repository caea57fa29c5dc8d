using Npgsql;

namespace SecureHeaders.Reporting.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server the tests run against, named by <c>SECUREHEADERS_TEST_POSTGRES</c> (start-postgres.sh prints
/// one). Without it the tests skip, unless <c>SECUREHEADERS_REQUIRE_SERVICES=1</c> says a missing server is a failure.
/// </summary>
internal static class PostgresServer
{
    public const string ConnectionVariable = "SECUREHEADERS_TEST_POSTGRES";
    public const string RequireVariable = "SECUREHEADERS_REQUIRE_SERVICES";

    public static string ConnectionStringOrSkip()
    {
        var value = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var message = $"{ConnectionVariable} is not set; run tests/SecureHeaders.Reporting.PostgreSql.Tests/start-postgres.sh and export its last line.";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(message + $" ({RequireVariable}=1 makes this a failure.)");
        }

        Assert.Skip(message);
        return string.Empty;
    }

    /// <summary>A schema name no other test run uses.</summary>
    public static string NewSchema() => "sh_test_" + Guid.NewGuid().ToString("n")[..12];

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var cmd = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await cmd.ExecuteNonQueryAsync();
    }
}
