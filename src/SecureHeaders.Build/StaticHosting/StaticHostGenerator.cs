using Microsoft.Extensions.Configuration;
using SecureHeaders.Analysis.Html;
using SecureHeaders.Configuration;
using SecureHeaders.Csp;
using SecureHeaders.Policies;

namespace SecureHeaders.Build.StaticHosting;

/// <summary>What to generate: the published site, the hosts, where the policy comes from.</summary>
/// <param name="SiteDirectory">The published site's root (for Blazor WebAssembly, the publish folder's <c>wwwroot</c>).</param>
/// <param name="Hosts">The hosts to write files for.</param>
/// <param name="NginxFile">Where the nginx snippet goes.</param>
/// <param name="ConfigurationFile">A JSON file with a <c>SecureHeaders</c> section of policy settings (as in appsettings.json), or <see langword="null"/>; a missing file means the defaults.</param>
/// <param name="WebAssembly">Whether the site runs WebAssembly (adds <c>'wasm-unsafe-eval'</c>).</param>
internal sealed record StaticHostRequest(string SiteDirectory, StaticHostKind Hosts, string NginxFile, string? ConfigurationFile, bool WebAssembly);

/// <summary>A problem, with the file it is about.</summary>
internal sealed record StaticHostMessage(string? File, string Message, bool IsError);

/// <summary>What was written and what went wrong.</summary>
internal sealed record StaticHostResult(IReadOnlyList<string> WrittenFiles, IReadOnlyList<StaticHostMessage> Messages, CspHashManifest? Hashes)
{
    public bool Succeeded => !Messages.Any(static m => m.IsError);
}

/// <summary>
/// Hashes the inline code of a published site's HTML pages (<see cref="HtmlInlineScanner"/>), compiles the policy
/// with those hashes (<see cref="StaticHostHeaders"/>) and writes one file per host. Nothing is written when
/// anything is wrong, so a failed publish never leaves a half-updated set of files.
/// </summary>
internal static class StaticHostGenerator
{
    /// <summary>The nginx snippet's file name.</summary>
    public const string NginxFileName = "secureheaders.nginx.conf";

    /// <summary>The Netlify/Cloudflare Pages file name.</summary>
    public const string NetlifyFileName = "_headers";

    /// <summary>The Azure Static Web Apps file name.</summary>
    public const string AzureFileName = "staticwebapp.config.json";

    // The framework's own files hold no pages served as documents.
    private static readonly string[] s_skippedDirectories = ["_framework"];

    public static StaticHostResult Run(StaticHostRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = new List<StaticHostMessage>();
        if (!Directory.Exists(request.SiteDirectory))
        {
            messages.Add(new(null, $"The published site folder {request.SiteDirectory} does not exist; nothing to hash.", IsError: true));
            return new([], messages, null);
        }

        var policy = LoadPolicy(request.ConfigurationFile, messages, out var source);
        if (policy is null)
        {
            return new([], messages, null);
        }

        var scans = new List<(string File, HtmlScanResult Result)>();
        foreach (var page in Pages(request.SiteDirectory))
        {
            var relative = Path.GetRelativePath(request.SiteDirectory, page).Replace('\\', '/');
            scans.Add((relative, HtmlInlineScanner.Scan(File.ReadAllText(page))));
        }

        var hashes = CspHashManifestScan.FromScan(scans);
        foreach (var entry in hashes.Dynamic)
        {
            messages.Add(new(Path.Combine(request.SiteDirectory, entry.File), $"line {entry.Line}: {entry.Kind} cannot be hashed ({entry.Reason}); a static host's policy blocks it. Move it to a script file.", IsError: false));
        }

        foreach (var entry in hashes.Attributes)
        {
            // Hashes allow elements, not attributes, unless 'unsafe-hashes' is added, which SecureHeaders never does by default.
            messages.Add(new(Path.Combine(request.SiteDirectory, entry.File), $"line {entry.Line}: the {entry.Attribute} attribute is blocked by the policy. Move the code to a script file (addEventListener) or the style to a stylesheet.", IsError: false));
        }

        var problems = new ConfigurationProblems();
        var variants = StaticHostHeaders.Compile(policy, hashes, request.WebAssembly, ConfigurationPaths.Root, problems);
        foreach (var problem in problems.All)
        {
            messages.Add(new(request.ConfigurationFile is not null && File.Exists(request.ConfigurationFile) ? request.ConfigurationFile : null, problem.ToString(), problem.Severity == ProblemSeverity.Error));
        }

        if (variants is null)
        {
            return new([], messages, hashes);
        }

        var headers = variants.Https;

        var outputs = new List<(string Path, string Text)>();
        if (request.Hosts.HasFlag(StaticHostKind.Nginx))
        {
            if (NginxSnippetWriter.Write(variants.AnyScheme, source, out var error) is { } text)
            {
                outputs.Add((request.NginxFile, text));
            }
            else
            {
                messages.Add(new(request.ConfigurationFile, error!, IsError: true));
            }
        }

        if (request.Hosts.HasFlag(StaticHostKind.Netlify))
        {
            var path = Path.Combine(request.SiteDirectory, NetlifyFileName);
            outputs.Add((path, NetlifyHeadersWriter.Write(headers, File.Exists(path) ? File.ReadAllText(path) : null)));
            foreach (var name in NetlifyHeadersWriter.TooLongForCloudflare(headers))
            {
                messages.Add(new(path, $"The {name} line is longer than the {NetlifyHeadersWriter.CloudflareMaxLine} characters Cloudflare Pages accepts (Netlify has no such limit).", IsError: false));
            }
        }

        if (request.Hosts.HasFlag(StaticHostKind.Azure))
        {
            var path = Path.Combine(request.SiteDirectory, AzureFileName);
            if (AzureStaticWebAppConfigWriter.Write(headers, File.Exists(path) ? File.ReadAllText(path) : null, out var error) is { } text)
            {
                outputs.Add((path, text));
            }
            else
            {
                messages.Add(new(path, error! + " Fix the file (the app's wwwroot/staticwebapp.config.json) so that globalHeaders can be written into it.", IsError: true));
            }
        }

        if (messages.Any(static m => m.IsError))
        {
            return new([], messages, hashes);
        }

        foreach (var (path, text) in outputs)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, text);
        }

        return new([.. outputs.Select(static o => o.Path)], messages, hashes);
    }

    /// <summary>Parses <c>nginx;netlify;azure</c> (case-insensitive; <c>cloudflare</c> is <c>netlify</c>'s file).</summary>
    public static StaticHostKind ParseHosts(string? value, out string? unknown)
    {
        unknown = null;
        var hosts = StaticHostKind.None;
        foreach (var part in (value ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToUpperInvariant())
            {
                case "NGINX":
                    hosts |= StaticHostKind.Nginx;
                    break;
                case "NETLIFY" or "CLOUDFLARE":
                    hosts |= StaticHostKind.Netlify;
                    break;
                case "AZURE":
                    hosts |= StaticHostKind.Azure;
                    break;
                case "NONE":
                    break;
                default:
                    unknown ??= part;
                    break;
            }
        }

        return hosts;
    }

    private static SecureHeadersPolicy? LoadPolicy(string? file, List<StaticHostMessage> messages, out string source)
    {
        var policy = new SecureHeadersPolicy();
        if (file is null || !File.Exists(file))
        {
            source = "the default policy";
            return policy;
        }

        source = Path.GetFileName(file);
        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            messages.Add(new(file, "The file is not valid JSON: " + (e.InnerException?.Message ?? e.Message), IsError: true));
            return null;
        }

        // The same settings, binder and messages as the SecureHeaders section of appsettings.json.
        var node = ConfigNode.Read(configuration, ConfigurationPaths.Root);
        var problems = new ConfigurationProblems();
        if (node.Shape != ConfigNodeShape.Missing)
        {
            if (node.Shape == ConfigNodeShape.Composite && !node.IsList)
            {
                PolicySettings.Group.BindObject(node, policy, new BindContext(problems));
            }
            else
            {
                problems.Error(node.Path, "The SecureHeaders section must be an object of policy settings.", "Write \"SecureHeaders\": { \"ContentSecurityPolicy\": { … } }.");
            }
        }

        foreach (var problem in problems.All)
        {
            messages.Add(new(file, problem.ToString(), problem.Severity == ProblemSeverity.Error));
        }

        return problems.HasErrors ? null : policy;
    }

    private static IEnumerable<string> Pages(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(directory, "*.html", options).Order(StringComparer.Ordinal))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(directory, "*", options).Order(StringComparer.Ordinal))
        {
            if (!s_skippedDirectories.Contains(Path.GetFileName(sub), StringComparer.OrdinalIgnoreCase))
            {
                foreach (var file in Pages(sub))
                {
                    yield return file;
                }
            }
        }
    }
}
