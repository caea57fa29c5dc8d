using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using SecureHeaders.Build.StaticHosting;

namespace SecureHeaders.Build;

/// <summary>
/// The MSBuild task that runs after <c>dotnet publish</c> (see build/SecureHeaders.Build.targets): hashes the inline
/// scripts of the published HTML pages and writes the security headers for static hosts — an nginx snippet,
/// <c>_headers</c> (Netlify, Cloudflare Pages) and <c>staticwebapp.config.json</c> (Azure Static Web Apps).
/// </summary>
public sealed class WriteStaticHostHeaders : Microsoft.Build.Utilities.Task
{
    /// <summary>The published site's root folder (for Blazor WebAssembly, <c>$(PublishDir)wwwroot</c>).</summary>
    [Required]
    public string SiteDirectory { get; set; } = string.Empty;

    /// <summary>The hosts to write files for, separated by semicolons: <c>nginx</c>, <c>netlify</c> (also <c>cloudflare</c>), <c>azure</c>.</summary>
    public string Hosts { get; set; } = "nginx;netlify;azure";

    /// <summary>Where the nginx snippet goes. Default: <c>secureheaders.nginx.conf</c> next to <see cref="SiteDirectory"/>, so that the site does not serve it.</summary>
    public string? NginxFile { get; set; }

    /// <summary>A JSON file with a <c>SecureHeaders</c> section of policy settings, as in appsettings.json. A missing file means the defaults.</summary>
    public string? ConfigurationFile { get; set; }

    /// <summary>Whether the site runs WebAssembly: adds <c>'wasm-unsafe-eval'</c> to script-src.</summary>
    public bool WebAssembly { get; set; }

    /// <summary>The files written.</summary>
    [Output]
    public ITaskItem[] GeneratedFiles { get; private set; } = [];

    /// <inheritdoc />
    public override bool Execute()
    {
        var hosts = StaticHostGenerator.ParseHosts(Hosts, out var unknown);
        if (unknown is not null)
        {
            Log.LogError(null, "SECH001", null, null, 0, 0, 0, 0, "SecureHeadersStaticHosts contains \"{0}\", which is not a host SecureHeaders writes headers for. Fix: use nginx, netlify, cloudflare, azure or none, separated by semicolons.", unknown);
            return false;
        }

        if (hosts == StaticHostKind.None)
        {
            return true;
        }

        var site = Path.GetFullPath(SiteDirectory);
        var nginx = string.IsNullOrEmpty(NginxFile)
            ? Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(site)) ?? site, StaticHostGenerator.NginxFileName)
            : Path.GetFullPath(NginxFile);
        var result = StaticHostGenerator.Run(new StaticHostRequest(site, hosts, nginx, string.IsNullOrEmpty(ConfigurationFile) ? null : ConfigurationFile, WebAssembly));
        foreach (var message in result.Messages)
        {
            if (message.IsError)
            {
                Log.LogError(null, "SECH002", null, message.File, 0, 0, 0, 0, "{0}", message.Message);
            }
            else
            {
                Log.LogWarning(null, "SECH003", null, message.File, 0, 0, 0, 0, "{0}", message.Message);
            }
        }

        if (result.Hashes is { } hashes)
        {
            Log.LogMessage(MessageImportance.Normal, "SecureHeaders: {0} inline script hash(es) and {1} inline style hash(es) from the pages under {2}.", hashes.ScriptHashes.Count, hashes.StyleHashes.Count, site);
        }

        foreach (var file in result.WrittenFiles)
        {
            Log.LogMessage(MessageImportance.High, "  SecureHeaders -> {0}", file);
        }

        GeneratedFiles = [.. result.WrittenFiles.Select(static f => (ITaskItem)new TaskItem(f))];
        return !Log.HasLoggedErrors;
    }
}
