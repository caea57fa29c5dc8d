using System.CommandLine;
using SecureHeaders.Csp;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Cli.Commands;

/// <summary>
/// <c>secureheaders csp hash PATH... [--algorithm sha256|sha384|sha512] [--manifest FILE] [--json]</c>: scans
/// files and directories for <c>.cshtml</c>, <c>.razor</c>, <c>.html</c> and <c>.htm</c>, prints each inline
/// script, style and attribute with its file:line and hash, and writes the manifest that
/// <see cref="CspHashManifest.Load"/> reads. Exit code 0, or 2 when a path does not exist or a file cannot be read.
/// </summary>
internal static class CspHashCommand
{
    private static readonly string[] s_extensions = [".cshtml", ".razor", ".html", ".htm"];
    private static readonly string[] s_skippedDirectories = ["bin", "obj", "node_modules", ".git"];

    internal sealed record Settings(CspHashAlgorithm Algorithm, string? Manifest, bool Json, bool Color);

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories to scan (directories recursively, skipping bin, obj, node_modules and .git).", Arity = ArgumentArity.OneOrMore };
        var algorithm = new Option<string>("--algorithm") { Description = "sha256 (default), sha384 or sha512.", DefaultValueFactory = _ => "sha256" };
        algorithm.AcceptOnlyFromAmong("sha256", "sha384", "sha512");
        var manifest = new Option<string?>("--manifest") { Description = "Write the JSON manifest to this file (load it with CspHashManifest.Load)." };
        var json = new Option<bool>("--json") { Description = "Print the manifest JSON instead of text." };
        var noColor = new Option<bool>("--no-color") { Description = "No colours in text output." };
        var command = new Command("hash", "Hash inline scripts, styles and event handlers of .cshtml, .razor and .html files for script-src/style-src.")
        {
            paths, algorithm, manifest, json, noColor,
        };
        command.SetAction(parse =>
        {
            var alg = CspHashes.TryParseAlgorithm(parse.GetValue(algorithm), out var parsed) ? parsed : CspHashAlgorithm.Sha256;
            var settings = new Settings(alg, parse.GetValue(manifest), parse.GetValue(json), CspCommands.UseColor(parse.GetValue(noColor)));
            return Run(parse.GetValue(paths) ?? [], settings, Environment.CurrentDirectory, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    internal static int Run(IReadOnlyList<string> paths, Settings settings, string baseDirectory, TextWriter output, TextWriter error)
    {
        var files = new List<string>();
        var exit = 0;
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, baseDirectory);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                files.AddRange(Enumerate(full));
            }
            else
            {
                error.WriteLine($"{path}: no such file or directory");
                exit = 2;
            }
        }

        var scans = new List<(string File, HtmlScanResult Result)>();
        foreach (var file in files.Distinct().Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException e)
            {
                error.WriteLine($"{file}: {e.Message}");
                exit = 2;
                continue;
            }
            catch (UnauthorizedAccessException e)
            {
                error.WriteLine($"{file}: {e.Message}");
                exit = 2;
                continue;
            }

            var relative = Path.GetRelativePath(baseDirectory, file).Replace('\\', '/');
            scans.Add((relative, HtmlInlineScanner.Scan(text, HtmlInlineScanner.KindOf(file))));
        }

        var manifest = CspHashManifestScan.FromScan(scans, settings.Algorithm);
        if (settings.Manifest is not null)
        {
            manifest.Save(Path.GetFullPath(settings.Manifest, baseDirectory));
        }

        if (settings.Json)
        {
            output.Write(manifest.ToJson());
        }
        else
        {
            WriteText(output, scans, settings, manifest);
        }

        return exit;
    }

    private static IEnumerable<string> Enumerate(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(directory, "*", options))
        {
            if (s_extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                yield return file;
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(directory, "*", options))
        {
            if (!s_skippedDirectories.Contains(Path.GetFileName(sub), StringComparer.OrdinalIgnoreCase))
            {
                foreach (var file in Enumerate(sub))
                {
                    yield return file;
                }
            }
        }
    }

    private static void WriteText(TextWriter output, List<(string File, HtmlScanResult Result)> scans, Settings settings, CspHashManifest manifest)
    {
        string Paint(string code, string text) => settings.Color ? code + text + "\u001b[0m" : text;
        foreach (var (file, result) in scans)
        {
            foreach (var item in result.Inline)
            {
                var what = item.Kind switch
                {
                    HtmlInlineKind.Script => item.Type is null ? "script" : $"script ({item.Type})",
                    HtmlInlineKind.Style => "style",
                    HtmlInlineKind.EventHandler => item.AttributeName!,
                    HtmlInlineKind.StyleAttribute => "style=\"…\"",
                    _ => item.AttributeName + "=javascript:",
                };
                var location = $"{file}:{item.Line}";
                if (item.FilledAtRunTime is { } filler)
                {
                    output.WriteLine($"{location}  {what}  {Paint("\u001b[2m", "filled at run time: " + filler)}");
                }
                else if (item.IsDynamic || item.Kind == HtmlInlineKind.JavaScriptUrl)
                {
                    output.WriteLine($"{location}  {what}  {Paint("\u001b[33m", "dynamic: " + item.DynamicReason)}");
                }
                else if (item.HasNonce)
                {
                    output.WriteLine($"{location}  {what}  {Paint("\u001b[2m", "has a nonce; no hash needed")}");
                }
                else
                {
                    var note = item.NeedsUnsafeHashes ? $"  ({item.Directive} with 'unsafe-hashes')" : $"  ({item.Directive})";
                    output.WriteLine($"{location}  {what}  {Paint("\u001b[32m", item.Hash(settings.Algorithm).Text)}{note}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"{scans.Count} file(s): {manifest.ScriptHashes.Count} script hash(es), {manifest.StyleHashes.Count} style hash(es), {manifest.Attributes.Length} attribute(s), {manifest.Dynamic.Length} dynamic, {scans.Sum(static s => s.Result.Inline.Count(static i => i.FilledAtRunTime is not null))} filled at run time.");
        if (manifest.ScriptHashes.Count > 0)
        {
            output.WriteLine("script-src " + string.Join(' ', manifest.ScriptHashes.Select(static h => h.Text)));
        }

        if (manifest.StyleHashes.Count > 0)
        {
            output.WriteLine("style-src " + string.Join(' ', manifest.StyleHashes.Select(static h => h.Text)));
        }

        if (settings.Manifest is not null)
        {
            output.WriteLine("Manifest written to " + settings.Manifest);
        }
    }
}
