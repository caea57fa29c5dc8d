using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.Api;

/// <summary>Reads a running app's reporting API (<c>{ApiPath}/violations</c> and <c>{ApiPath}/suggestion</c>).</summary>
public sealed class ReportingApiClient
{
    /// <summary>Where SecureHeaders maps the JSON API unless configured otherwise (<c>SecureHeaders:Reporting:ApiPath</c>).</summary>
    public const string DefaultApiPath = "/_secureheaders/api";

    private readonly HttpClient _http;
    private readonly Uri _apiBase;

    /// <summary>Creates a client for the API at <paramref name="baseUrl"/>.</summary>
    /// <param name="http">The HTTP client to send with (its default headers carry any credentials).</param>
    /// <param name="baseUrl">The app's address (the default API path is appended) or the API's own address.</param>
    public ReportingApiClient(HttpClient http, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        _http = http;
        var path = baseUrl.AbsolutePath.TrimEnd('/');
        var apiPath = path.Length == 0 ? DefaultApiPath : path;
        _apiBase = new UriBuilder(baseUrl) { Path = apiPath.TrimEnd('/') + "/", Query = string.Empty }.Uri;
    }

    /// <summary>The API address requests go to.</summary>
    public Uri ApiBase => _apiBase;

    /// <summary>Reads violations.</summary>
    /// <param name="query">Filters, order and limit.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ViolationQueryResult> QueryAsync(ViolationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var uri = new Uri(_apiBase, "violations" + QueryString(query, includePaging: true));
        var result = await _http.GetFromJsonAsync(uri, ReportingJsonContext.Default.ViolationQueryResult, cancellationToken).ConfigureAwait(false);
        return result ?? throw new InvalidOperationException($"{uri} returned no JSON.");
    }

    /// <summary>Reads the suggestion computed by the app.</summary>
    /// <param name="filter">Filters (since, disposition).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<PolicySuggestion> SuggestAsync(ViolationQuery filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var uri = new Uri(_apiBase, "suggestion" + QueryString(filter, includePaging: false));
        var result = await _http.GetFromJsonAsync(uri, ReportingJsonContext.Default.PolicySuggestion, cancellationToken).ConfigureAwait(false);
        return result ?? throw new InvalidOperationException($"{uri} returned no JSON.");
    }

    private static string QueryString(ViolationQuery q, bool includePaging)
    {
        var sb = new StringBuilder();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("since", q.Since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("directive", q.Directive);
        Add("type", q.Type);
        Add("disposition", q.Disposition);
        if (includePaging)
        {
            Add("limit", q.Limit.ToString(CultureInfo.InvariantCulture));
            Add("order", q.OrderBy == ViolationOrder.LastSeen ? "lastSeen" : "count");
        }

        return sb.ToString();
    }
}
