using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.Api;

/// <summary>Reads a running app's reporting API (<c>{ApiPath}/violations</c>, <c>suggestion</c>, <c>sessions</c>, <c>opt-ins</c>).</summary>
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

    /// <summary>Asks the app to learn (<c>GET {ApiPath}/suggestion</c>): the app starts from its own compiled policies.</summary>
    /// <param name="request">Policy, disposition, window and since (the app applies its own noise lists and manifest).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<LearningResult> LearnAsync(LearningRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = new Uri(_apiBase, "suggestion" + LearningQuery(request));
        using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        await ThrowOnErrorAsync(response, uri, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.TryGetProperty("policies", out _))
        {
            return document.Deserialize(ReportingJsonContext.Default.LearningResult) ?? throw new InvalidOperationException($"{uri} returned no JSON.");
        }

        var one = document.Deserialize(ReportingJsonContext.Default.LearnedPolicy) ?? throw new InvalidOperationException($"{uri} returned no JSON.");
        return new LearningResult([one], one.Session, 0);
    }

    /// <summary>Starts a learning session in the app (<c>POST {ApiPath}/sessions</c>).</summary>
    /// <param name="name">Optional label.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<LearningSession> StartSessionAsync(string? name, CancellationToken cancellationToken)
    {
        var uri = new Uri(_apiBase, "sessions");
        using var response = await _http.PostAsJsonAsync(uri, new SessionRequest(name), ReportingJsonContext.Default.SessionRequest, cancellationToken).ConfigureAwait(false);
        await ThrowOnErrorAsync(response, uri, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(ReportingJsonContext.Default.LearningSession, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{uri} returned no JSON.");
    }

    /// <summary>Ends a learning session in the app (<c>POST {ApiPath}/sessions/{id}/end</c>); <see langword="null"/> when it does not exist.</summary>
    /// <param name="id">The session.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<LearningSession?> EndSessionAsync(long id, CancellationToken cancellationToken)
    {
        var uri = new Uri(_apiBase, "sessions/" + id.ToString(CultureInfo.InvariantCulture) + "/end");
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await ThrowOnErrorAsync(response, uri, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(ReportingJsonContext.Default.LearningSession, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The app's learning sessions, newest first (<c>GET {ApiPath}/sessions</c>).</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<LearningSession>> GetSessionsAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(_apiBase, "sessions");
        return await _http.GetFromJsonAsync(uri, ReportingJsonContext.Default.IReadOnlyListLearningSession, cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>Records an opt-in for a rejected addition in the app (<c>POST {ApiPath}/opt-ins</c>); the app logs it with the signed-in user.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="directive">The directive.</param>
    /// <param name="source">The source.</param>
    /// <param name="reason">Why it is legitimate.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<LearningOptIn> AddOptInAsync(string policy, string directive, string source, string reason, CancellationToken cancellationToken)
    {
        var uri = new Uri(_apiBase, "opt-ins");
        using var response = await _http.PostAsJsonAsync(uri, new OptInRequest(policy, directive, source, reason), ReportingJsonContext.Default.OptInRequest, cancellationToken)
            .ConfigureAwait(false);
        await ThrowOnErrorAsync(response, uri, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(ReportingJsonContext.Default.LearningOptIn, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{uri} returned no JSON.");
    }

    /// <summary>The query string of <c>GET {ApiPath}/suggestion</c> for <paramref name="request"/>.</summary>
    /// <param name="request">What to learn.</param>
    public static string LearningQuery(LearningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = new StringBuilder();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                sb.Append(sb.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("policy", request.Policy);
        Add("disposition", request.Disposition);
        Add("session", request.Window.ToString());
        Add("since", request.Since?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static async Task ThrowOnErrorAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = body;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error) && error.GetString() is { } text)
            {
                message = text;
            }
        }
        catch (JsonException)
        {
        }

        throw new HttpRequestException($"{uri} answered {(int)response.StatusCode}: {message}", null, response.StatusCode);
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
        if (q.Policy is not null)
        {
            // An empty policy asks for unattributed reports; send it even though it is empty.
            sb.Append(sb.Length == 0 ? '?' : '&').Append("policy=").Append(Uri.EscapeDataString(q.Policy));
        }

        Add("session", q.Session?.ToString(CultureInfo.InvariantCulture));
        if (includePaging)
        {
            Add("limit", q.Limit.ToString(CultureInfo.InvariantCulture));
            Add("order", q.OrderBy == ViolationOrder.LastSeen ? "lastSeen" : "count");
        }

        return sb.ToString();
    }
}
