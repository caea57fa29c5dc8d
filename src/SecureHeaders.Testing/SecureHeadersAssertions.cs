using System.Collections.Immutable;
using System.Globalization;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Testing;

/// <summary>
/// Assertions for integration tests (WebApplicationFactory, TestServer or any <see cref="HttpClient"/>): fetch a path,
/// run the same analysis as <c>secureheaders scan</c>, and throw <see cref="SecureHeadersAssertionException"/> when the
/// grade, the findings or specific headers are not as expected. Works with any test framework.
/// </summary>
public static class SecureHeadersAssertions
{
    /// <summary>
    /// Fetches <paramref name="path"/> and asserts the Observatory-compatible grade and, optionally, that there is no
    /// high-severity finding. Returns the report for further checks.
    /// </summary>
    /// <example><code>await client.AssertSecureHeadersAsync("/", minimumGrade: "A", noHighFindings: true);</code></example>
    public static Task<SecurityReport> AssertSecureHeadersAsync(this HttpClient client, string path = "/", string? minimumGrade = "A", bool noHighFindings = true, CancellationToken cancellationToken = default) =>
        client.AssertSecureHeadersAsync(path, new SecureHeadersExpectations { MinimumGrade = minimumGrade, FailOnSeverity = noHighFindings ? FindingSeverity.High : null }, cancellationToken);

    /// <summary>Fetches <paramref name="path"/> and asserts every expectation.</summary>
    public static async Task<SecurityReport> AssertSecureHeadersAsync(this HttpClient client, string path, SecureHeadersExpectations expectations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expectations);
        var report = await client.AnalyzeAsync(path, expectations.AssumeHttpsDeployment, cancellationToken).ConfigureAwait(false);
        var failures = Check(report, expectations);
        if (failures.Count > 0)
        {
            throw new SecureHeadersAssertionException(new Dictionary<string, IReadOnlyList<string>> { [path] = failures });
        }

        return report;
    }

    /// <summary>Asserts that the response to <paramref name="path"/> has the header, with <paramref name="expectedValue"/> when given (case-insensitive).</summary>
    public static async Task AssertHeaderAsync(this HttpClient client, string path, string headerName, string? expectedValue = null, CancellationToken cancellationToken = default)
    {
        var report = await client.AnalyzeAsync(path, true, cancellationToken).ConfigureAwait(false);
        var values = report.Site.Primary!.GetValues(headerName);
        string? failure = values.Count == 0 ? $"{headerName} is missing."
            : expectedValue is not null && !values.Any(v => string.Equals(v.Trim(), expectedValue.Trim(), StringComparison.OrdinalIgnoreCase))
                ? $"{headerName} is \"{string.Join(" | ", values)}\", expected \"{expectedValue}\"."
                : null;
        if (failure is not null)
        {
            throw new SecureHeadersAssertionException(new Dictionary<string, IReadOnlyList<string>> { [path] = [failure] });
        }
    }

    /// <summary>Asserts that the response to <paramref name="path"/> does not have the header.</summary>
    public static async Task AssertNoHeaderAsync(this HttpClient client, string path, string headerName, CancellationToken cancellationToken = default)
    {
        var report = await client.AnalyzeAsync(path, true, cancellationToken).ConfigureAwait(false);
        if (report.Site.Primary!.Contains(headerName))
        {
            throw new SecureHeadersAssertionException(new Dictionary<string, IReadOnlyList<string>>
            {
                [path] = [$"{headerName} is present (\"{report.Site.Primary.GetFirst(headerName)}\") but should not be."],
            });
        }
    }

    /// <summary>
    /// Fetches <paramref name="path"/> (and a CORS preflight to it) and analyses the response without asserting.
    /// With <paramref name="assumeHttps"/> the response is graded as if served over HTTPS with HTTP redirecting to it.
    /// </summary>
    public static async Task<SecurityReport> AnalyzeAsync(this HttpClient client, string path = "/", bool assumeHttps = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(path);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var headers = ReadHeaders(response);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var url = response.RequestMessage?.RequestUri ?? new Uri(client.BaseAddress ?? new Uri("https://localhost/"), path);

        HeaderSet? preflight = null;
        try
        {
            using var options = new HttpRequestMessage(HttpMethod.Options, url);
            options.Headers.TryAddWithoutValidation("Origin", SiteSnapshot.ObservatoryOrigin);
            options.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "GET");
            using var optionsResponse = await client.SendAsync(options, cancellationToken).ConfigureAwait(false);
            preflight = new HeaderSet(ReadHeaders(optionsResponse)) { StatusCode = (int)optionsResponse.StatusCode, Url = url };
        }
        catch (HttpRequestException)
        {
            // No preflight answer: CORS is then "not implemented".
        }

        var set = new HeaderSet(headers) { StatusCode = (int)response.StatusCode, Url = url, Body = body };
        SiteSnapshot site;
        if (assumeHttps || url.Scheme == Uri.UriSchemeHttps)
        {
            var httpsUrl = new UriBuilder(url) { Scheme = Uri.UriSchemeHttps, Port = url.IsDefaultPort ? -1 : url.Port }.Uri;
            var final = new HeaderSet(headers) { StatusCode = set.StatusCode, Url = httpsUrl, Body = body, TlsVerified = true, CorsPreflight = preflight, CorsPreflightOrigin = SiteSnapshot.ObservatoryOrigin };
            var httpUrl = new UriBuilder(httpsUrl) { Scheme = Uri.UriSchemeHttp, Port = httpsUrl.IsDefaultPort ? -1 : httpsUrl.Port }.Uri;
            site = new SiteSnapshot
            {
                Target = httpsUrl,
                Https = final,
                Http = new HeaderSet(headers)
                {
                    StatusCode = set.StatusCode,
                    Url = httpsUrl,
                    Body = body,
                    TlsVerified = true,
                    RedirectChain = [new RedirectHop(httpUrl, 301, [new HttpHeader("Location", httpsUrl.AbsoluteUri)])],
                },
                IsOffline = true,
            };
        }
        else
        {
            site = new SiteSnapshot
            {
                Target = url,
                Http = new HeaderSet(headers) { StatusCode = set.StatusCode, Url = url, Body = body, CorsPreflight = preflight, CorsPreflightOrigin = SiteSnapshot.ObservatoryOrigin },
                HttpsError = "The test client speaks plain HTTP.",
                IsOffline = true,
            };
        }

        return SecurityAnalyzer.Analyze(site);
    }

    /// <summary>The reasons a report fails the expectations; empty when it passes.</summary>
    public static IReadOnlyList<string> Check(SecurityReport report, SecureHeadersExpectations expectations)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(expectations);
        var failures = new List<string>();
        var observatory = report.Observatory;
        if (expectations.MinimumGrade is { } minimum)
        {
            if (ObservatoryScoring.RankOf(minimum) < 0)
            {
                throw new ArgumentException($"\"{minimum}\" is not a grade (A+ … F).", nameof(expectations));
            }

            if (observatory.Error is not null)
            {
                failures.Add("Not graded: " + observatory.Error);
            }
            else if (ObservatoryScoring.RankOf(observatory.Grade) < ObservatoryScoring.RankOf(minimum))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"Grade {observatory.Grade} (score {observatory.Score}) is below {minimum}; failing tests: ")
                    + string.Join(", ", observatory.Tests.Where(static t => t.ScoreModifier < 0).Select(static t => $"{t.Result} ({t.ScoreModifier})")));
            }
        }

        if (expectations.FailOnSeverity is { } severity)
        {
            foreach (var finding in report.Findings.Where(f => f.Severity >= severity && !expectations.IgnoredFindings.Contains(f.Id)))
            {
                failures.Add(finding.ToString());
            }
        }

        var response = report.Site.Primary;
        foreach (var (name, value) in expectations.RequiredHeaders)
        {
            var values = response?.GetValues(name) ?? [];
            if (values.Count == 0)
            {
                failures.Add($"{name} is missing.");
            }
            else if (value is not null && !values.Any(v => string.Equals(v.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"{name} is \"{string.Join(" | ", values)}\", expected \"{value}\".");
            }
        }

        foreach (var name in expectations.ForbiddenHeaders)
        {
            if (response?.Contains(name) == true)
            {
                failures.Add($"{name} is present (\"{response.GetFirst(name)}\") but should not be.");
            }
        }

        return failures;
    }

    internal static ImmutableArray<HttpHeader> ReadHeaders(HttpResponseMessage response)
    {
        var headers = ImmutableArray.CreateBuilder<HttpHeader>();
        foreach (var header in response.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value));
            }
        }

        foreach (var header in response.Content.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value));
            }
        }

        return headers.ToImmutable();
    }
}
