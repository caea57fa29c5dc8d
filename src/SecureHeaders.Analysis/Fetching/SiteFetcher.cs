using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Fetching;

/// <summary>How <see cref="SiteFetcher"/> fetches a site.</summary>
public sealed class FetchOptions
{
    /// <summary>The Firefox-based User-Agent the Observatory sends.</summary>
    public const string ObservatoryUserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:129.0) Gecko/20100101 Firefox/129.0 Observatory/129.0";

    /// <summary>The time one scheme's whole fetch (all redirects) may take. Default 10 s, as the Observatory.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The time one request may take. Default 9 s, as the Observatory.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(9);

    /// <summary>The port for <c>http://</c>; by default the URL's port when it names one, else 80.</summary>
    public int? HttpPort { get; set; }

    /// <summary>The port for <c>https://</c>; by default the URL's port when it names one, else 443.</summary>
    public int? HttpsPort { get; set; }

    /// <summary>Extra certificates to trust as roots (a private CA or a self-signed certificate), e.g. from <c>--ca-cert</c>.</summary>
    public X509Certificate2Collection TrustedCertificates { get; } = [];

    /// <summary>Skip certificate verification entirely (<c>--insecure</c>); responses are marked unverified.</summary>
    public bool Insecure { get; set; }

    /// <summary>The User-Agent to send.</summary>
    public string UserAgent { get; set; } = ObservatoryUserAgent;

    /// <summary>The Origin of the CORS preflight.</summary>
    public string CorsOrigin { get; set; } = SiteSnapshot.ObservatoryOrigin;

    /// <summary>The most body bytes read (the rest is ignored). Default 2 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The most redirects followed per scheme. Default 10, as the Observatory; one more is an error.</summary>
    public int MaxRedirects { get; set; } = 10;

    /// <summary>The most bytes of response headers accepted per response. Default 64 KiB.</summary>
    public int MaxResponseHeaderBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Refuse loopback, private, link-local and other non-public addresses, for the target and after every redirect
    /// (<c>--deny-private-networks</c>; for running the scanner as a service). Off by default so that local
    /// development servers can be scanned.
    /// </summary>
    public bool DenyPrivateNetworks { get; set; }

    /// <summary>Which addresses <see cref="DenyPrivateNetworks"/> lets through; tests replace <see cref="AddressGuard.IsPublic"/>.</summary>
    internal Func<System.Net.IPAddress, bool> AllowedAddress { get; set; } = AddressGuard.IsPublic;

    /// <summary>Loads every certificate of a PEM (or DER) file into <see cref="TrustedCertificates"/>.</summary>
    public void TrustCertificateFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(text);
            TrustedCertificates.AddRange(collection);
        }
        else
        {
            TrustedCertificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }

        if (TrustedCertificates.Count == 0)
        {
            throw new InvalidDataException($"{path} contains no certificate.");
        }
    }
}

/// <summary>
/// Fetches a site the way Mozilla HTTP Observatory does: <c>http://</c> and <c>https://</c> in parallel, each
/// following up to 10 redirects by hand and recording every hop and cookie; on a certificate error the HTTPS fetch is
/// repeated without verification and marked unverified; the HTML of the final response is kept; a CORS preflight
/// (<c>OPTIONS</c> with the Observatory's Origin) is sent to the final URL.
/// </summary>
public sealed class SiteFetcher : IDisposable
{
    private static readonly int[] s_redirectStatuses = [301, 302, 303, 307, 308];
    private readonly FetchOptions _options;
    private readonly HttpClient _verifying;
    private readonly HttpClient _unverified;

    /// <summary>Creates a fetcher; dispose it to release its connections.</summary>
    public SiteFetcher(FetchOptions? options = null)
    {
        _options = options ?? new FetchOptions();
        _verifying = CreateClient(verify: !_options.Insecure);
        _unverified = CreateClient(verify: false);
    }

    /// <summary>Fetches both schemes of <paramref name="target"/> and the CORS preflight, within <see cref="FetchOptions.Timeout"/> in all.</summary>
    public async Task<SiteSnapshot> FetchAsync(Uri target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The target must be an absolute http:// or https:// URL.", nameof(target));
        }

        // One deadline for the whole site: both chains run in parallel under it, the preflight uses what is left.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        cancellationToken = deadline.Token;
        var explicitPort = target.IsDefaultPort ? (int?)null : target.Port;
        var httpUrl = Build(target, Uri.UriSchemeHttp, _options.HttpPort ?? explicitPort ?? 80);
        var httpsUrl = Build(target, Uri.UriSchemeHttps, _options.HttpsPort ?? explicitPort ?? 443);
        var httpTask = FetchChainAsync(httpUrl, cancellationToken);
        var httpsTask = FetchChainAsync(httpsUrl, cancellationToken);
        var (http, httpError, httpRefused) = await httpTask.ConfigureAwait(false);
        var (https, httpsError, httpsRefused) = await httpsTask.ConfigureAwait(false);

        // A chain that ran into a loop or the redirect limit still has its last answer, which the Observatory grades
        // (as we do); the scan is an error all the same.
        var failure = httpsRefused ? "https: " + httpsError : httpRefused ? "http: " + httpError : null;
        httpError = http is null ? httpError : null;
        httpsError = https is null ? httpsError : null;

        var primary = https ?? http;
        if (primary?.Url is { } finalUrl)
        {
            var preflight = await PreflightAsync(finalUrl, primary.TlsVerified == false, cancellationToken).ConfigureAwait(false);
            var withPreflight = new HeaderSet(primary.Headers)
            {
                StatusCode = primary.StatusCode,
                Url = primary.Url,
                Body = primary.Body,
                TlsVerified = primary.TlsVerified,
                RedirectChain = primary.RedirectChain,
                CorsPreflight = preflight,
                CorsPreflightOrigin = preflight is null ? null : _options.CorsOrigin,
            };
            if (https is not null)
            {
                https = withPreflight;
            }
            else
            {
                http = withPreflight;
            }
        }

        return new SiteSnapshot
        {
            Target = target,
            Http = http,
            Https = https,
            HttpError = httpError,
            HttpsError = httpsError,
            FetchFailure = failure,
            InsecureRequested = _options.Insecure,
        };
    }

    /// <summary>
    /// GETs a small text resource (robots.txt, a sitemap) following up to 5 redirects on the same host, under the
    /// fetcher's limits. Returns the status and text, or <see langword="null"/> when nothing usable came back.
    /// </summary>
    internal async Task<(int Status, string Text)?> GetTextAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        var client = _options.Insecure ? _unverified : _verifying;
        try
        {
            for (var hop = 0; hop <= 5; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (Array.IndexOf(s_redirectStatuses, status) >= 0 && response.Headers.Location is { } location
                    && Uri.TryCreate(url, location, out var next) && next.Host == url.Host && (next.Scheme == Uri.UriSchemeHttp || next.Scheme == Uri.UriSchemeHttps))
                {
                    url = next;
                    continue;
                }

                return (status, await ReadBodyAsync(response, deadline.Token).ConfigureAwait(false) ?? string.Empty);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // Missing robots.txt or sitemap: nothing to read.
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _verifying.Dispose();
        _unverified.Dispose();
    }

    private static Uri Build(Uri target, string scheme, int port) =>
        new UriBuilder(target) { Scheme = scheme, Port = port }.Uri;

    private async Task<(HeaderSet? Final, string? Error, bool Refused)> FetchChainAsync(Uri start, CancellationToken cancellationToken)
    {
        var verified = !_options.Insecure;
        try
        {
            var (final, problem) = await FollowAsync(start, _verifying, verified, cancellationToken).ConfigureAwait(false);
            return (final, problem, problem is not null);
        }
        catch (HttpRequestException e) when (verified && IsCertificateError(e))
        {
            // The Observatory's rule: a certificate problem is not "no response"; fetch again without verification.
            try
            {
                var (final, problem) = await FollowAsync(start, _unverified, false, cancellationToken).ConfigureAwait(false);
                return (final, problem, problem is not null);
            }
            catch (Exception retry) when (retry is HttpRequestException or TaskCanceledException or IOException)
            {
                return (null, Describe(retry), Refusal(retry) is not null);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or UriFormatException)
        {
            return (null, Refusal(e)?.Message ?? Describe(e), Refusal(e) is not null);
        }
    }

    private static FetchRefusedException? Refusal(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is FetchRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private async Task<(HeaderSet Final, string? Problem)> FollowAsync(Uri start, HttpClient client, bool verified, CancellationToken cancellationToken)
    {
        string? loop = null;
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(_options.Timeout);
        var jar = new ObservatoryCookieJar(DateTimeOffset.UtcNow);
        var hops = ImmutableArray.CreateBuilder<RedirectHop>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { start.AbsoluteUri };
        var url = start;
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            jar.BeforeRequest(url);
            if (jar.CookieHeaderFor(url) is { } cookieHeader)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
            }

            using var perRequest = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            perRequest.CancelAfter(_options.RequestTimeout);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, perRequest.Token).ConfigureAwait(false);
            var headers = ReadHeaders(response);
            jar.Store(url, headers.Where(static h => h.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Select(static h => h.Value));
            var status = (int)response.StatusCode;
            var location = headers.FirstOrDefault(static h => h.Name.Equals("Location", StringComparison.OrdinalIgnoreCase)).Value;
            if (Array.IndexOf(s_redirectStatuses, status) >= 0 && location is not null && Uri.TryCreate(url, location, out var next))
            {
                // A redirect that cannot be followed is an error, never a page to grade.
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                {
                    throw new FetchRefusedException($"{url.AbsoluteUri} redirects to {Shorten(next.OriginalString)}, which is not an http(s) URL.");
                }

                if (!visited.Add(next.AbsoluteUri))
                {
                    loop ??= $"redirect loop: {string.Join(" -> ", hops.Select(static h => h.Url.AbsoluteUri).Append(url.AbsoluteUri).Append(next.AbsoluteUri))}";
                }

                // Like the Observatory, follow at most MaxRedirects and keep the answer after the last one: it is what
                // the Observatory grades. A loop or the limit still makes the scan an error.
                if (redirects < _options.MaxRedirects)
                {
                    hops.Add(new RedirectHop(url, status, headers));
                    url = next;
                    continue;
                }

                loop ??= $"more than {_options.MaxRedirects} redirects from {start.AbsoluteUri} (last: {url.AbsoluteUri} -> {next.AbsoluteUri}).";
            }

            var body = await ReadBodyAsync(response, perRequest.Token).ConfigureAwait(false);
            var anyHttps = url.Scheme == Uri.UriSchemeHttps || hops.Any(static h => h.Url.Scheme == Uri.UriSchemeHttps);
            return (new HeaderSet(headers)
            {
                StatusCode = status,
                Url = url,
                Body = body,
                TlsVerified = anyHttps ? verified : (bool?)null,
                RedirectChain = hops.ToImmutable(),
            }, loop);
        }
    }

    private async Task<HeaderSet?> PreflightAsync(Uri url, bool unverified, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Options, url);
            request.Headers.TryAddWithoutValidation("Origin", _options.CorsOrigin);
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            using var response = await (unverified ? _unverified : _verifying).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            return new HeaderSet(ReadHeaders(response)) { StatusCode = (int)response.StatusCode, Url = url };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return null;
        }
    }

    private static ImmutableArray<HttpHeader> ReadHeaders(HttpResponseMessage response)
    {
        var headers = ImmutableArray.CreateBuilder<HttpHeader>();
        foreach (var header in response.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value.Trim()));
            }
        }

        foreach (var header in response.Content.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value.Trim()));
            }
        }

        return headers.ToImmutable();
    }

    private async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[_options.MaxBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            var encoding = Encoding.UTF8;
            var charset = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values)
                && MediaTypeHeaderValue.TryParse(values.FirstOrDefault(), out var mediaType) ? mediaType.CharSet?.Trim('"') : null;
            if (charset is not null)
            {
                try
                {
                    encoding = Encoding.GetEncoding(charset);
                }
                catch (ArgumentException)
                {
                    // Unknown charset: fall back to UTF-8, as browsers mostly do for HTML.
                }
            }

            return encoding.GetString(buffer, 0, total);
        }
    }

    private HttpClient CreateClient(bool verify)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxResponseHeadersLength = Math.Max(1, _options.MaxResponseHeaderBytes / 1024),
            ConnectCallback = _options.DenyPrivateNetworks ? AddressGuard.Connect(_options.AllowedAddress) : null,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = _options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                // The unverifying client is deliberate: it is used only for --insecure and for the Observatory's retry after a
                // certificate error, and every response it returns is marked TlsVerified = false and reported.
#pragma warning disable CA5359
                RemoteCertificateValidationCallback = verify ? ValidateCertificate : static (_, _, _, _) => true,
#pragma warning restore CA5359
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, DefaultRequestVersion = HttpVersion.Version11 };
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || _options.TrustedCertificates.Count == 0 || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        // Only chain errors remain: build the chain again against the extra roots (a private CA or a self-signed leaf).
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_options.TrustedCertificates);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private static bool IsCertificateError(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private static string Describe(Exception e)
    {
        if (e is TaskCanceledException or OperationCanceledException)
        {
            return "timed out";
        }

        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = inner.Message;
        }

        return message;
    }
}
