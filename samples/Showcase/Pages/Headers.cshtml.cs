using System.Collections.Immutable;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;

namespace Showcase.Pages;

/// <summary>
/// Shows the headers of this site's home page and the verdict on them: the same analysis as
/// <c>secureheaders scan</c>, run in-process. The page fetches <c>/</c> from this server over loopback, then grades
/// the response as it would be graded when served over HTTPS (with plain HTTP redirecting to it).
/// </summary>
public sealed class HeadersModel(IServer server) : PageModel
{
    /// <summary>The analysis; null when the self-request failed.</summary>
    public SecurityReport? Report { get; private set; }

    /// <summary>The headers the home page was served with.</summary>
    public ImmutableArray<HttpHeader> Headers { get; private set; } = [];

    /// <summary>Why the analysis could not run, if it could not.</summary>
    public string? Error { get; private set; }

    /// <summary>Fetches the home page and analyses it.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderByDescending(static a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault();
        if (address is null)
        {
            Error = "This server has no listening address to fetch the home page from.";
            return;
        }

        // The server's own address, with a wildcard host replaced by loopback; the request never leaves the machine.
        var self = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)) { Path = "/" }.Uri;
        using var handler = new HttpClientHandler
        {
            // It is this very server: its certificate may be a development certificate the OS does not trust.
            ServerCertificateCustomValidationCallback = static (_, _, _, _) => true,
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync(self, cancellationToken);
            Headers = [.. response.Headers.Concat(response.Content.Headers).SelectMany(static h => h.Value.Select(v => new HttpHeader(h.Key, v)))];
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var publicUrl = new Uri($"https://{Request.Host}/");
            Report = SecurityAnalyzer.Analyze(new HeaderSet(Headers) { StatusCode = (int)response.StatusCode, Url = publicUrl, Body = body }, OfflineTransport.Https, publicUrl);
        }
        catch (HttpRequestException ex)
        {
            Error = "Fetching the home page failed: " + ex.Message;
        }
    }
}
