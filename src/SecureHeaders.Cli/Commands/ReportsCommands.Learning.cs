using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SecureHeaders.Csp;
using SecureHeaders.Internal;
using SecureHeaders.Reporting;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Cli.Commands;

/// <summary>
/// Learning: <c>reports suggest</c> (the learned policy per policy, in three pasteable forms, with the rejected
/// additions and their evidence), <c>reports session start|end|list</c> (the learning window) and <c>reports allow</c>
/// (the explicit, logged opt-in for one rejected addition).
/// </summary>
internal static partial class ReportsCommands
{
    private static Command Suggest()
    {
        var source = new SourceOptions();
        var json = new Option<bool>("--json") { Description = "Print the learned policy as JSON (documented in the README)." };
        var session = new Option<string?>("--session") { Description = "latest (default: the most recent learning session, or every report when there is none), all, or a session id." };
        var manifest = new Option<FileInfo?>("--manifest") { Description = "A CSP hash manifest (secureheaders csp hash --manifest): inline code with these hashes is the app's own." };
        var print = new Option<string?>("--print") { Description = "Print only one form of the learned policy, ready to paste: header, appsettings or csharp." };
        print.AcceptOnlyFromAmong("header", "appsettings", "csharp");
        var command = new Command("suggest", "Learn the policy: additions consistent with the app, and rejected ones (likely injections) with their evidence.");
        source.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(session);
        command.Options.Add(manifest);
        command.Options.Add(print);
        command.Validators.Add(result =>
        {
            if (!LearningWindow.TryParse(result.GetValue(session), out _))
            {
                result.AddError("--session must be latest, all or a session id.");
            }

            if (result.GetValue(source.Disposition) is { } d && d is not ("report" or "enforce"))
            {
                result.AddError("--disposition must be report or enforce.");
            }
        });
        command.SetAction((parse, ct) => Run(parse, source, async (src, output) =>
        {
            if (!LearningWindow.TryParse(parse.GetValue(session), out var window))
            {
                throw new CliException("--session must be latest, all or a session id.");
            }

            var hashes = parse.GetValue(manifest) is { } file ? LoadManifest(file) : [];
            var query = source.Query(parse, ViolationQuery.MaxLimit);
            var result = await src.LearnAsync(new LearningRequest
            {
                Policy = parse.GetValue(source.Policy),
                Disposition = parse.GetValue(source.Disposition),
                Window = window,
                Since = query.Since,
                InlineHashes = hashes,
            }, ct).ConfigureAwait(false);

            var single = parse.GetValue(source.Policy) is not null || result.Policies.Count == 1 ? result.Policies[0] : null;
            if (parse.GetValue(print) is { } form)
            {
                if (single is null)
                {
                    throw new CliException("Several policies have reports (" + string.Join(", ", result.Policies.Select(static p => p.Policy)) + "); choose one with --policy.");
                }

                await output.WriteLineAsync((form switch { "header" => single.Csp, "appsettings" => single.AppSettingsJson, _ => single.CSharp }).TrimEnd()).ConfigureAwait(false);
                return;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(single is null ? JsonSerializer.Serialize(result, Json.LearningResult) : JsonSerializer.Serialize(single, Json.LearnedPolicy)).ConfigureAwait(false);
                return;
            }

            await WriteLearnedAsync(output, result).ConfigureAwait(false);
        }));
        return command;
    }

    private static List<AppInlineHash> LoadManifest(FileInfo file)
    {
        try
        {
            return [.. AppInlineHash.FromManifest(CspHashManifest.Load(file.FullName))];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new CliException($"--manifest {file.FullName}: {ex.Message}");
        }
    }

    private static Command Session()
    {
        var command = new Command("session", "Start, end or list learning sessions: a suggestion is computed from a chosen window, never from what was recorded before it.");

        var startSource = new SourceOptions();
        var name = new Option<string?>("--name") { Description = "A label for the session." };
        var startJson = new Option<bool>("--json") { Description = "Print the session as JSON." };
        var start = new Command("start", "Start a learning session now (an open one is ended at the same instant).");
        startSource.AddTo(start);
        start.Options.Add(name);
        start.Options.Add(startJson);
        start.SetAction((parse, ct) => Run(parse, startSource, async (src, output) =>
        {
            var s = await src.StartSessionAsync(parse.GetValue(name), ct).ConfigureAwait(false);
            await output.WriteLineAsync(parse.GetValue(startJson) ? JsonSerializer.Serialize(s, Json.LearningSession) : $"Started learning session {Describe(s)}.").ConfigureAwait(false);
        }));

        var endSource = new SourceOptions();
        var id = new Option<long?>("--id") { Description = "The session to end; default: the open one." };
        var endJson = new Option<bool>("--json") { Description = "Print the session as JSON." };
        var end = new Command("end", "End a learning session now.");
        endSource.AddTo(end);
        end.Options.Add(id);
        end.Options.Add(endJson);
        end.SetAction((parse, ct) => Run(parse, endSource, async (src, output) =>
        {
            var s = await src.EndSessionAsync(parse.GetValue(id), ct).ConfigureAwait(false)
                ?? throw new CliException(parse.GetValue(id) is { } missing ? $"There is no learning session {missing}." : "No learning session is open.");
            await output.WriteLineAsync(parse.GetValue(endJson) ? JsonSerializer.Serialize(s, Json.LearningSession) : $"Ended learning session {Describe(s)}.").ConfigureAwait(false);
        }));

        var listSource = new SourceOptions();
        var listJson = new Option<bool>("--json") { Description = "Print the sessions as JSON." };
        var list = new Command("list", "List learning sessions, newest first.");
        listSource.AddTo(list);
        list.Options.Add(listJson);
        list.SetAction((parse, ct) => Run(parse, listSource, async (src, output) =>
        {
            var sessions = await src.GetSessionsAsync(ct).ConfigureAwait(false);
            if (parse.GetValue(listJson))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(sessions, Json.IReadOnlyListLearningSession)).ConfigureAwait(false);
                return;
            }

            if (sessions.Count == 0)
            {
                await output.WriteLineAsync("No learning sessions.").ConfigureAwait(false);
            }

            foreach (var s in sessions)
            {
                await output.WriteLineAsync(Describe(s)).ConfigureAwait(false);
            }
        }));

        command.Subcommands.Add(start);
        command.Subcommands.Add(end);
        command.Subcommands.Add(list);
        return command;
    }

    private static Command Allow()
    {
        var source = new SourceOptions();
        // --directive and --policy are the shared source options; here they name what to allow.
        var directive = source.Directive;
        var sourceExpression = new Option<string>("--source") { Description = "The source expression, as the suggestion names it.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why it is legitimate: recorded with your user name as the audit trail.", Required = true };
        var command = new Command("allow", "Opt in to one addition that learning rejected: it is recorded (who, when, why) and suggestions for the policy then add it.");
        source.AddTo(command);
        command.Options.Add(sourceExpression);
        command.Options.Add(reason);
        command.Validators.Add(result =>
        {
            if (result.GetValue(source.Policy) is null)
            {
                result.AddError("--policy is required: an opt-in is for one policy.");
            }

            if (result.GetValue(directive) is not { } d)
            {
                result.AddError("--directive is required: the directive the suggestion names.");
            }
            else if (CspDirectives.Find(d) is not { HasSourceList: true })
            {
                result.AddError($"--directive '{d}' is not a CSP directive that takes sources.");
            }

            if (result.GetValue(sourceExpression) is { } s && CspSource.Parse(s.Trim()).Kind is CspSourceKind.Invalid or CspSourceKind.Token or CspSourceKind.Nonce)
            {
                result.AddError($"--source '{s}' is not one CSP source expression (a literal nonce is never allowed).");
            }

            if (result.GetValue(reason) is { } r && (string.IsNullOrWhiteSpace(r) || r.Length > 500))
            {
                result.AddError("--reason must say why, in at most 500 characters.");
            }
        });
        command.SetAction((parse, ct) => Run(parse, source, async (src, output) =>
        {
            var optIn = await src.AddOptInAsync(parse.GetValue(source.Policy)!, parse.GetValue(directive)!.Trim().ToLowerInvariant(),
                parse.GetValue(sourceExpression)!.Trim(), parse.GetValue(reason)!.Trim(), ct).ConfigureAwait(false);
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"Opt-in recorded by {optIn.By} at {optIn.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {optIn.Directive} {optIn.Source} for policy {optIn.Policy} ({optIn.Reason}).").ConfigureAwait(false);
            await output.WriteLineAsync(JsonSerializer.Serialize(optIn, Json.LearningOptIn)).ConfigureAwait(false);
        }));
        return command;
    }

    private static string Describe(LearningSession s)
    {
        var inv = CultureInfo.InvariantCulture;
        var name = s.Name is null ? string.Empty : " \"" + TerminalText.Clean(s.Name) + "\"";
        var end = s.EndedAt is { } e ? " to " + e.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv) + " UTC" : " (open)";
        return string.Create(inv, $"{s.Id}{name}: {s.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{end}");
    }

    private static async Task WriteLearnedAsync(TextWriter output, LearningResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(result.Session is { } s ? "From learning session " + Describe(s) + "." : "From every stored report (no learning session).").ConfigureAwait(false);
        if (result.UnattributedReports > 0)
        {
            await output.WriteLineAsync(string.Create(inv, $"{result.UnattributedReports} report(s) could not be credited to one of the app's policies and are not counted.")).ConfigureAwait(false);
        }

        foreach (var p in result.Policies)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(inv,
                $"Policy {TerminalText.Clean(p.Policy)} ({(p.Disposition == "report" ? "Report-Only candidate" : "enforced")}): {p.ReportsConsidered} report(s) from {p.Pages} page(s), {p.Clients} client(s).")).ConfigureAwait(false);
            await output.WriteLineAsync(p.Added.Count == 0 ? "  Added: nothing." : "  Added:").ConfigureAwait(false);
            foreach (var a in p.Added)
            {
                await output.WriteLineAsync(string.Create(inv, $"    {TerminalText.Clean(a.Directive)} {TerminalText.Clean(a.Source)}   [{a.Count} report(s)] {TerminalText.Clean(a.Reason)}")).ConfigureAwait(false);
            }

            await output.WriteLineAsync(p.Rejected.Count == 0 ? "  Rejected: nothing." : "  Rejected:").ConfigureAwait(false);
            foreach (var r in p.Rejected)
            {
                var tag = r.IsIncident ? "LIKELY ATTACK, blocked: " : string.Empty;
                await output.WriteLineAsync(string.Create(inv,
                    $"    {TerminalText.Clean(r.Directive)} {TerminalText.Clean(r.Source)}   [{r.Count} report(s), {r.Documents} page(s), {r.FirstSeen.UtcDateTime:yyyy-MM-dd HH:mm} to {r.LastSeen.UtcDateTime:yyyy-MM-dd HH:mm} UTC] {tag}{TerminalText.Clean(r.Reason)}")).ConfigureAwait(false);
            }

            foreach (var note in p.Notes)
            {
                await output.WriteLineAsync("  note: " + TerminalText.Clean(note)).ConfigureAwait(false);
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync("  Content-Security-Policy:").ConfigureAwait(false);
            await output.WriteLineAsync("    " + TerminalText.Clean(p.Csp)).ConfigureAwait(false);
            await output.WriteLineAsync("  appsettings.json:").ConfigureAwait(false);
            await output.WriteLineAsync(Indent(p.AppSettingsJson)).ConfigureAwait(false);
            await output.WriteLineAsync("  Program.cs:").ConfigureAwait(false);
            await output.WriteLineAsync(Indent(p.CSharp)).ConfigureAwait(false);
        }
    }

    private static string Indent(string text) => string.Join('\n', text.TrimEnd().Split('\n').Select(static l => "    " + l));
}
