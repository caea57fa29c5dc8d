using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace SecureHeaders.Testing;

/// <summary>A GET-able route of an app, or one that was left out and why.</summary>
/// <param name="Path">The request path built from the route pattern (with sample values), or the raw pattern when skipped.</param>
/// <param name="DisplayName">The endpoint's display name.</param>
/// <param name="SkipReason">Why the route is not checked (a parameter without a sample value…), or <see langword="null"/>.</param>
public sealed record DiscoveredRoute(string Path, string? DisplayName, string? SkipReason);

/// <summary>
/// Walks every endpoint of an app (from its <see cref="EndpointDataSource"/>) and checks the security headers of each
/// GET-able route, so that "headers missing on some routes" fails a test. Routes with parameters are checked when
/// every required parameter has a sample value (or a default); the others are reported as skipped.
/// </summary>
public static class EndpointWalker
{
    /// <summary>Lists the GET-able routes of the app, with paths built from <paramref name="sampleValues"/> (parameter name → value).</summary>
    public static IReadOnlyList<DiscoveredRoute> DiscoverRoutes(IServiceProvider services, IReadOnlyDictionary<string, string>? sampleValues = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var source = services.GetRequiredService<EndpointDataSource>();
        var routes = new List<DiscoveredRoute>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is { Count: > 0 } && !methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var (path, reason) = BuildPath(endpoint.RoutePattern, sampleValues);
            if (seen.Add(path ?? endpoint.RoutePattern.RawText ?? endpoint.DisplayName ?? "?"))
            {
                routes.Add(new(path ?? endpoint.RoutePattern.RawText ?? "?", endpoint.DisplayName, reason));
            }
        }

        return routes;
    }

    /// <summary>
    /// Fetches every GET-able route of the app with <paramref name="client"/> and checks each against
    /// <paramref name="expectations"/>; throws one <see cref="SecureHeadersAssertionException"/> listing every failing
    /// route and finding. Returns the routes that were skipped (parameters without sample values).
    /// </summary>
    public static async Task<IReadOnlyList<DiscoveredRoute>> AssertAllEndpointsAsync(
        this HttpClient client,
        IServiceProvider services,
        SecureHeadersExpectations expectations,
        IReadOnlyDictionary<string, string>? sampleValues = null,
        Func<DiscoveredRoute, bool>? include = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(expectations);
        var routes = DiscoverRoutes(services, sampleValues);
        var failures = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var skipped = new List<DiscoveredRoute>();
        foreach (var route in routes)
        {
            if (route.SkipReason is not null)
            {
                skipped.Add(route);
                continue;
            }

            if (include is not null && !include(route))
            {
                continue;
            }

            var report = await client.AnalyzeAsync(route.Path, expectations.AssumeHttpsDeployment, cancellationToken).ConfigureAwait(false);
            var problems = SecureHeadersAssertions.Check(report, expectations);
            if (problems.Count > 0)
            {
                failures[route.Path] = problems;
            }
        }

        if (failures.Count > 0)
        {
            throw new SecureHeadersAssertionException(failures);
        }

        return skipped;
    }

    private static (string? Path, string? SkipReason) BuildPath(RoutePattern pattern, IReadOnlyDictionary<string, string>? samples)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            var text = new System.Text.StringBuilder();
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text.Append(literal.Content);
                        break;
                    case RoutePatternSeparatorPart separator:
                        text.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        if (samples is not null && samples.TryGetValue(parameter.Name, out var sample))
                        {
                            text.Append(Uri.EscapeDataString(sample));
                        }
                        else if (parameter.Default is not null)
                        {
                            text.Append(Uri.EscapeDataString(Convert.ToString(parameter.Default, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                        }
                        else if (!parameter.IsOptional && !parameter.IsCatchAll)
                        {
                            return (null, $"the route parameter {{{parameter.Name}}} has no sample value");
                        }

                        break;
                    default:
                        break;
                }
            }

            if (text.Length > 0)
            {
                sb.Append('/').Append(text);
            }
        }

        return (sb.Length == 0 ? "/" : sb.ToString(), null);
    }
}
