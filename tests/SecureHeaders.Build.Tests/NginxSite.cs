using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SecureHeaders.Build.Tests;

/// <summary>
/// nginx serving a published site on a loopback port, with the generated snippet included exactly as the README
/// shows. Found through SECUREHEADERS_NGINX or the PATH (Debian's nginx package); .ci/run installs it.
/// </summary>
internal sealed class NginxSite : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _prefix;

    private NginxSite(Process process, DirectoryInfo prefix, Uri address)
    {
        _process = process;
        _prefix = prefix;
        Address = address;
    }

    public Uri Address { get; }

    public static string? Find()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("SECUREHEADERS_NGINX"), "/usr/sbin/nginx", "/usr/bin/nginx" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static async Task<NginxSite> StartAsync(string nginx, string siteDirectory, string snippet)
    {
        var prefix = Directory.CreateTempSubdirectory("secureheaders-nginx");
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var p = prefix.FullName;
        var mimeTypes = File.Exists("/etc/nginx/mime.types") ? "include /etc/nginx/mime.types;" : "types { text/html html; text/css css; application/javascript js; application/wasm wasm; application/json json; }";
        // As root, nginx's workers would run as nobody, who cannot read the test's private temporary folders.
        var user = Environment.UserName == "root" ? "user root;" : string.Empty;
        File.WriteAllText(Path.Combine(p, "nginx.conf"), $$"""
            {{user}}
            worker_processes 1;
            daemon off;
            pid {{p}}/nginx.pid;
            error_log {{p}}/error.log;
            events { worker_connections 64; }
            http {
              {{mimeTypes}}
              access_log off;
              client_body_temp_path {{p}}/body; proxy_temp_path {{p}}/proxy; fastcgi_temp_path {{p}}/fastcgi; uwsgi_temp_path {{p}}/uwsgi; scgi_temp_path {{p}}/scgi;
              server {
                listen 127.0.0.1:{{port}};
                root {{siteDirectory}};
                include {{snippet}};
                location / { try_files $uri $uri/ /index.html; }
              }
            }
            """);
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", p, "-e", Path.Combine(p, "error.log"), "-c", Path.Combine(p, "nginx.conf") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var site = new NginxSite(process, prefix, new Uri($"http://127.0.0.1:{port}/"));
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(p, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(p, "error.log")) : string.Empty;
                throw new InvalidOperationException($"nginx exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var response = await client.GetAsync(site.Address);
                return site;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _prefix.Delete(recursive: true);
    }
}
