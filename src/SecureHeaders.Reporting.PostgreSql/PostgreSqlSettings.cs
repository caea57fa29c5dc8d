using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SecureHeaders.Configuration;

namespace SecureHeaders.Reporting.PostgreSql;

/// <summary>The settings of <c>SecureHeaders:Reporting:PostgreSql</c>, bound with the same rules as the rest of SecureHeaders.</summary>
internal static class PostgreSqlSettings
{
    /// <summary>The subsection key under <c>SecureHeaders:Reporting</c>.</summary>
    public const string Key = "PostgreSql";

    /// <summary>The settings.</summary>
    public static SettingGroup<PostgreSqlViolationStoreOptions> Group { get; } = new SettingGroup<PostgreSqlViolationStoreOptions>(static () => new PostgreSqlViolationStoreOptions())
        .String("ConnectionString", "Npgsql connection string, e.g. Host=db;Database=app;Username=app;Password=…", static _ => null, static (o, v) => o.ConnectionString = v ?? string.Empty)
        .String("Schema", "Schema that holds the tables, created on start when missing: letters, digits and underscores.", static o => o.Schema, static (o, v) => o.Schema = v ?? string.Empty);
}

/// <summary>Binds <see cref="PostgreSqlViolationStoreOptions"/> and validates it at startup.</summary>
internal sealed class PostgreSqlOptionsSetup(IConfiguration? configuration) : IConfigureOptions<PostgreSqlViolationStoreOptions>, IValidateOptions<PostgreSqlViolationStoreOptions>
{
    private readonly ConfigurationProblems _problems = new();

    public void Configure(PostgreSqlViolationStoreOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        var node = ConfigNode.Read(configuration, PostgreSqlViolationStoreOptions.ConfigurationSection);
        if (node.Shape == ConfigNodeShape.Composite && !node.IsList)
        {
            PostgreSqlSettings.Group.BindObject(node, options, new BindContext(_problems));
        }
        else if (node.Exists)
        {
            _problems.Error(node.Path, "PostgreSql must be an object of settings.", "Write \"PostgreSql\": { \"ConnectionString\": \"Host=…\" }.");
        }
    }

    public ValidateOptionsResult Validate(string? name, PostgreSqlViolationStoreOptions options)
    {
        var errors = _problems.All.Where(static p => p.Severity == ProblemSeverity.Error).Select(static p => p.ToString()).ToList();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add(new ConfigurationProblem(PostgreSqlViolationStoreOptions.ConfigurationSection + ":ConnectionString", "No connection string is set.", "Set it to an Npgsql connection string, or pass one to UsePostgreSql(...).").ToString());
        }

        if (options.Schema.Length == 0 || !options.Schema.All(static c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(options.Schema[0]))
        {
            errors.Add(new ConfigurationProblem(PostgreSqlViolationStoreOptions.ConfigurationSection + ":Schema", $"\"{options.Schema}\" is not a schema name.", "Use letters, digits and underscores, starting with a letter, e.g. secureheaders.").ToString());
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
