using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureHeaders.Internal;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.Api;
using SecureHeaders.Reporting.Export;
using SecureHeaders.Reporting.PostgreSql;
using SecureHeaders.Reporting.Sqlite;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Cli.Commands;

/// <summary>
/// <c>secureheaders reports top|suggest|export|session|allow</c>: reads stored violation reports from an SQLite file (<c>--db</c>),
/// a PostgreSQL database (<c>--postgres</c>) or a running app's API (<c>--url</c>).
/// </summary>
internal static partial class ReportsCommands
{
    // The API's source-generated contract (no reflection, so the tool trims), written indented for people.
    private static readonly ReportingJsonContext Json = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Terminal and file output, never embedded in HTML: keep quotes and '+' readable in CSP sources.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    });

    private static readonly string[] TableHeader = ["COUNT", "DIRECTIVE", "BLOCKED", "PAGE ORIGIN", "DISPOSITION", "LAST SEEN (UTC)"];

    public static Command Create()
    {
        var reports = new Command("reports", "Read collected CSP and Reporting API violation reports.");
        reports.Subcommands.Add(Top());
        reports.Subcommands.Add(Suggest());
        reports.Subcommands.Add(Export());
        reports.Subcommands.Add(Session());
        reports.Subcommands.Add(Allow());
        return reports;
    }

    /// <summary>The options every subcommand shares: where to read from, and filters.</summary>
    private sealed class SourceOptions
    {
        public Option<FileInfo?> Db { get; } = new("--db") { Description = "SQLite database file written by the collector." };
        public Option<string?> Postgres { get; } = new("--postgres") { Description = "Npgsql connection string of the collector's PostgreSQL store." };
        public Option<string> Schema { get; } = new("--schema") { Description = "PostgreSQL schema of the store.", DefaultValueFactory = _ => "secureheaders" };
        public Option<string?> Url { get; } = new("--url") { Description = "Address of a running app (or of its reporting API)." };
        public Option<string[]> Header { get; } = new("--header") { Description = "Extra request header for --url, as 'Name: value' (for example an Authorization header).", AllowMultipleArgumentsPerToken = false };
        public Option<string?> Since { get; } = new("--since") { Description = "Only violations seen since an ISO 8601 instant or a duration such as 24h or 7d." };
        public Option<string?> Directive { get; } = new("--directive") { Description = "Only this directive, for example script-src-elem." };
        public Option<string?> Disposition { get; } = new("--disposition") { Description = "enforce, or report for a Report-Only policy." };
        public Option<string?> Policy { get; } = new("--policy") { Description = "Only reports of this SecureHeaders policy (default, a named policy, or an endpoint policy such as default@/admin)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Db);
            command.Options.Add(Postgres);
            command.Options.Add(Schema);
            command.Options.Add(Url);
            command.Options.Add(Header);
            command.Options.Add(Since);
            command.Options.Add(Directive);
            command.Options.Add(Disposition);
            command.Options.Add(Policy);
            command.Validators.Add(result =>
            {
                var given = (result.GetResult(Db) is not null ? 1 : 0) + (result.GetResult(Postgres) is not null ? 1 : 0) + (result.GetResult(Url) is not null ? 1 : 0);
                if (given != 1)
                {
                    result.AddError("Give exactly one source: --db PATH, --postgres CONNECTION-STRING or --url URL.");
                }

                if (result.GetValue(Url) is { } url && !IsHttpUrl(url))
                {
                    result.AddError("--url must be an absolute http or https address.");
                }

                if (result.GetValue(Since) is { } since && !ApiQueryParse(since, out _))
                {
                    result.AddError("--since must be an ISO 8601 instant or a duration such as 30m, 24h or 7d.");
                }
            });
        }

        public ViolationQuery Query(ParseResult parse, int limit, ViolationOrder order = ViolationOrder.Count)
        {
            ApiQueryParse(parse.GetValue(Since), out var since);
            return new ViolationQuery
            {
                Since = since,
                Directive = parse.GetValue(Directive),
                Disposition = parse.GetValue(Disposition),
                Policy = parse.GetValue(Policy),
                Limit = limit,
                OrderBy = order,
            };
        }

        public ISource Open(ParseResult parse)
        {
            if (parse.GetValue(Db) is { } file)
            {
                // Reading must not create an empty database where the user mistyped a path.
                if (!file.Exists)
                {
                    throw new CliException($"No database at {file.FullName}.");
                }

                return new StoreSource(new SqliteViolationStore(file.FullName));
            }

            if (parse.GetValue(Postgres) is { } connection)
            {
                return new StoreSource(new PostgreSqlViolationStore(new PostgreSqlViolationStoreOptions { ConnectionString = connection, Schema = parse.GetValue(Schema)! }));
            }

            var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            foreach (var header in parse.GetValue(Header) ?? [])
            {
                var colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !http.DefaultRequestHeaders.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim()))
                {
                    http.Dispose();
                    throw new CliException($"--header '{header}' is not 'Name: value'.");
                }
            }

            return new ApiSource(new ReportingApiClient(http, new Uri(parse.GetValue(Url)!)), http);
        }
    }

    private static Command Top()
    {
        var source = new SourceOptions();
        var limit = new Option<int>("--limit") { Description = "How many violations to list.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON instead of a table." };
        var command = new Command("top", "List the most reported violations.");
        source.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction((parse, ct) => Run(parse, source, async (src, output) =>
        {
            var result = await src.QueryAsync(source.Query(parse, Math.Clamp(parse.GetValue(limit), 1, ViolationQuery.MaxLimit)), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(result, Json.ViolationQueryResult)).ConfigureAwait(false);
                return;
            }

            await WriteTableAsync(output, result).ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Export()
    {
        var source = new SourceOptions();
        var format = new Option<string>("--format") { Description = "json or csv.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "File to write; standard output when left out." };
        var limit = new Option<int>("--limit") { Description = "Most violations to export.", DefaultValueFactory = _ => ViolationQuery.MaxLimit };
        var command = new Command("export", "Write stored violations as JSON or CSV.");
        source.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(limit);
        command.SetAction((parse, ct) => Run(parse, source, async (src, stdout) =>
        {
            var result = await src.QueryAsync(source.Query(parse, Math.Clamp(parse.GetValue(limit), 1, ViolationQuery.MaxLimit)), ct).ConfigureAwait(false);
            var file = parse.GetValue(output);
            var writer = file is null ? stdout : new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false));
            try
            {
                if (parse.GetValue(format) == "csv")
                {
                    ViolationCsv.Write(writer, result.Violations);
                }
                else
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(result, Json.ViolationQueryResult)).ConfigureAwait(false);
                }
            }
            finally
            {
                if (file is not null)
                {
                    await writer.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (file is not null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    string.Create(CultureInfo.InvariantCulture, $"Wrote {result.Violations.Count} violation(s) to {file.FullName}.")).ConfigureAwait(false);
            }
        }));
        return command;
    }

    private static async Task<int> Run(ParseResult parse, SourceOptions options, Func<ISource, TextWriter, Task> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var source = options.Open(parse);
            await using var sourceScope = source.ConfigureAwait(false);
            await body(source, parse.InvocationConfiguration.Output).ConfigureAwait(false);
            return 0;
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (LearningException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Data.Common.DbException or JsonException or IOException or TaskCanceledException or InvalidOperationException)
        {
            await error.WriteLineAsync("Could not read reports: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task WriteTableAsync(TextWriter output, ViolationQueryResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"{result.Total} report(s) stored; the top {result.Violations.Count} violation(s):")).ConfigureAwait(false);
        if (result.Violations.Count == 0)
        {
            return;
        }

        var rows = new List<string[]> { TableHeader };
        foreach (var v in result.Violations)
        {
            // Every cell comes from a report a stranger sent: no escape sequence or bidi override reaches the terminal.
            rows.Add([v.Count.ToString(inv), TerminalText.Clean(v.Type == ReportTypes.CspViolation ? v.Directive : v.Type + " " + v.Directive),
                v.BlockedUri.Length == 0 ? "-" : TerminalText.Clean(v.BlockedUri), TerminalText.Clean(v.DocumentOrigin), TerminalText.Clean(v.Disposition),
                v.LastSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv)]);
        }

        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var cells = new string[row.Length];
            for (var i = 0; i < row.Length; i++)
            {
                cells[i] = i == 0 ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]);
            }

            await output.WriteLineAsync(string.Join("  ", cells).TrimEnd()).ConfigureAwait(false);
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool ApiQueryParse(string? text, out DateTimeOffset? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? span = text[^1] switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => null };
            if (span is { } s)
            {
                since = DateTimeOffset.UtcNow - s;
                return true;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            since = instant;
            return true;
        }

        return false;
    }

    /// <summary>Where reports are read from.</summary>
    private interface ISource : IAsyncDisposable
    {
        Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken);

        Task<LearningResult> LearnAsync(LearningRequest request, CancellationToken cancellationToken);

        Task<LearningSession> StartSessionAsync(string? name, CancellationToken cancellationToken);

        Task<LearningSession?> EndSessionAsync(long? id, CancellationToken cancellationToken);

        Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken);

        Task<LearningOptIn> AddOptInAsync(string policy, string directive, string source, string reason, CancellationToken cancellationToken);
    }

    private sealed class StoreSource(IViolationStore store) : ISource
    {
        public Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken) =>
            store.QueryAsync(query, cancellationToken);

        // The CLI has no app: the base of every suggestion is the compiled policy the app recorded in the store.
        public Task<LearningResult> LearnAsync(LearningRequest request, CancellationToken cancellationToken) =>
            PolicyLearner.LearnAsync(store, request, app: null, cancellationToken);

        public Task<LearningSession> StartSessionAsync(string? name, CancellationToken cancellationToken) =>
            store.StartSessionAsync(name, DateTimeOffset.UtcNow, cancellationToken);

        public async Task<LearningSession?> EndSessionAsync(long? id, CancellationToken cancellationToken)
        {
            var target = id ?? (await store.GetSessionsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(static s => s.EndedAt is null)?.Id;
            return target is { } t ? await store.EndSessionAsync(t, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false) : null;
        }

        public Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken) => store.GetSessionsAsync(cancellationToken);

        public async Task<LearningOptIn> AddOptInAsync(string policy, string directive, string source, string reason, CancellationToken cancellationToken)
        {
            var snapshot = await store.GetAppPoliciesAsync(cancellationToken).ConfigureAwait(false);
            if (!snapshot.Knows(policy))
            {
                throw new CliException($"The app recorded no policy named '{policy}' in this store.");
            }

            var optIn = new LearningOptIn(policy, directive, source, reason, Environment.UserName + " (secureheaders CLI)", DateTimeOffset.UtcNow);
            await store.AddOptInAsync(optIn, cancellationToken).ConfigureAwait(false);
            return optIn;
        }

        public async ValueTask DisposeAsync()
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }

            // Let the SQLite file go as soon as the command is done.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private sealed class ApiSource(ReportingApiClient client, HttpClient http) : ISource
    {
        public Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken) =>
            client.QueryAsync(query, cancellationToken);

        public Task<LearningResult> LearnAsync(LearningRequest request, CancellationToken cancellationToken)
        {
            if (request.InlineHashes.Count > 0)
            {
                throw new CliException("--manifest works with --db and --postgres; the running app uses its own SecureHeaders:CspHashManifest.");
            }

            return client.LearnAsync(request, cancellationToken);
        }

        public Task<LearningSession> StartSessionAsync(string? name, CancellationToken cancellationToken) => client.StartSessionAsync(name, cancellationToken);

        public async Task<LearningSession?> EndSessionAsync(long? id, CancellationToken cancellationToken)
        {
            var target = id ?? (await client.GetSessionsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(static s => s.EndedAt is null)?.Id;
            return target is { } t ? await client.EndSessionAsync(t, cancellationToken).ConfigureAwait(false) : null;
        }

        public Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken) => client.GetSessionsAsync(cancellationToken);

        public Task<LearningOptIn> AddOptInAsync(string policy, string directive, string source, string reason, CancellationToken cancellationToken) =>
            client.AddOptInAsync(policy, directive, source, reason, cancellationToken);

        public ValueTask DisposeAsync()
        {
            http.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class CliException(string message) : Exception(message);
}
