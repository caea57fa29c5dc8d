using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;
using SecureHeaders.Reporting.Storage;
using SecureHeaders.Reporting.Suggestions;
using SecureHeaders.Reporting.Tests.Support;
using static SecureHeaders.Reporting.AspNetCore.Tests.Support.LearningApp;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Api;

/// <summary>Learning end to end: per-policy report URLs, attribution, the suggestion API, sessions and opt-ins.</summary>
public sealed class LearningApiTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private ReportingApp? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<ReportingApp> StartAsync()
    {
        _app = await LearningApp.StartAsync(_dir.Path);
        return _app;
    }

    /// <summary>Sends the legitimate traffic of three pages and two browsers, and the probes of the issue.</summary>
    private static async Task BrowseAndAttackAsync(ReportingApp app)
    {
        foreach (var ua in new[] { "Chromium/1", "Firefox/2" })
        {
            foreach (var page in new[] { "/", "/products", "/search" })
            {
                await app.SendAsync(Report("script-src-elem", "https://cdn.example.net/lib.js", page), userAgent: ua);
            }
        }

        await app.SendAsync(Report("script-src-elem", "inline", "/search", sample: "alert(1)"));
        await app.SendAsync(Report("script-src-attr", "inline", "/search", sample: "window.injected=true"));
        await app.SendAsync(Report("form-action", "https://evil.example.test/collect", "/search"));
        await app.SendAsync(Report("object-src", "https://evil.example.test/x.swf", "/search"));
    }

    private static async Task<JsonElement> WaitForSuggestionAsync(ReportingApp app, string query, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var json = await app.GetJsonAsync("/_secureheaders/api/suggestion" + query);
            if (done(json) || DateTime.UtcNow > deadline)
            {
                return json;
            }

            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Each_policy_reports_to_its_own_url()
    {
        var app = await StartAsync();
        // Over HTTPS, where browsers use the Reporting API too.
        using var response = await app.Client.GetAsync(new Uri("https://localhost/"), Ct);
        var reportOnly = response.Headers.GetValues("Content-Security-Policy-Report-Only").Single();
        Assert.Contains("report-uri /_secureheaders/reports?policy=default", reportOnly, StringComparison.Ordinal);
        Assert.Contains("secureheaders=\"/_secureheaders/reports?policy=default\"", response.Headers.GetValues("Reporting-Endpoints").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_records_its_compiled_policies_with_nonce_placeholders()
    {
        var app = await StartAsync();
        var store = app.Services.GetRequiredService<IViolationStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        AppPolicySnapshot snapshot;
        while ((snapshot = await store.GetAppPoliciesAsync(Ct)).Policies.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        var candidate = snapshot.Find("default", "report")!;
        Assert.True(candidate.Csp.StartsWith(CandidatePolicy, StringComparison.Ordinal), candidate.Csp);
        Assert.Contains("report-uri /_secureheaders/reports?policy=default", candidate.Csp, StringComparison.Ordinal);
        Assert.Contains("'nonce'", candidate.Csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'nonce-", candidate.Csp, StringComparison.Ordinal);
        Assert.NotNull(snapshot.Find("api", "enforce"));
    }

    [Fact]
    public async Task The_suggestion_adds_the_apps_cdn_and_rejects_every_probe()
    {
        var app = await StartAsync();
        await BrowseAndAttackAsync(app);
        var json = await WaitForSuggestionAsync(app, "?policy=default", j => j.GetProperty("rejected").GetArrayLength() >= 4);

        Assert.Equal("default", json.GetProperty("policy").GetString());
        Assert.Equal("report", json.GetProperty("disposition").GetString());
        var added = Assert.Single(json.GetProperty("added").EnumerateArray());
        Assert.Equal(("script-src", "https://cdn.example.net", 6L), (added.GetProperty("directive").GetString(), added.GetProperty("source").GetString(), added.GetProperty("count").GetInt64()));
        Assert.False(string.IsNullOrEmpty(added.GetProperty("reason").GetString()));
        var rejected = json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal(4, rejected.Count);
        Assert.All(rejected, r =>
        {
            Assert.True(r.GetProperty("incident").GetBoolean());
            Assert.Equal(1, r.GetProperty("documents").GetInt32());
            Assert.True(r.GetProperty("count").GetInt64() >= 1);
        });

        var csp = json.GetProperty("csp").GetString()!;
        Assert.Contains("script-src 'self' 'nonce' 'report-sample' https://cdn.example.net;", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Contains("\"UseDefaults\": false", json.GetProperty("appsettings").GetString(), StringComparison.Ordinal);
        Assert.Contains(".Set(\"script-src\", \"'self'\", \"'nonce'\", \"'report-sample'\", \"https://cdn.example.net\")", json.GetProperty("csharp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_reports_are_evidence_never_configuration()
    {
        var app = await StartAsync();
        const string Forged = "default-src *; script-src * 'unsafe-inline' 'unsafe-eval'; object-src *";
        await app.SendAsync(Report("script-src-elem", "https://cdn.example.net/lib.js", "/", originalPolicy: Forged));
        await app.SendAsync(Report("script-src-elem", "https://cdn.example.net/lib.js", "/products", originalPolicy: Forged));
        // A policy the app does not have, and a page on another origin: stored, but never counted.
        await app.SendAsync(Report("img-src", "https://unknown-policy.example/a.png", "/"), policy: "evil");
        await app.SendAsync(Report("img-src", "https://foreign-page.example/a.png", "/", origin: "https://attacker.example"));
        await app.WaitForTotalAsync(4);

        var json = await WaitForSuggestionAsync(app, "?policy=default", j => j.GetProperty("added").GetArrayLength() > 0);
        Assert.StartsWith(CandidatePolicy, json.GetProperty("basePolicy").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("*", json.GetProperty("csp").GetString(), StringComparison.Ordinal);
        Assert.Equal(["https://cdn.example.net"], json.GetProperty("added").EnumerateArray().Select(a => a.GetProperty("source").GetString()));
        Assert.Empty(json.GetProperty("rejected").EnumerateArray());

        var unattributed = await app.GetJsonAsync("/_secureheaders/api/violations?policy=");
        Assert.Equal(2, unattributed.GetProperty("total").GetInt64());
        Assert.Equal(2, (await app.GetJsonAsync("/_secureheaders/api/violations?policy=default")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_session_excludes_what_was_recorded_before_it()
    {
        var app = await StartAsync();
        // Before the session: a source that would otherwise look legitimate (every page, two clients).
        foreach (var ua in new[] { "a", "b" })
        {
            foreach (var page in new[] { "/", "/products", "/cart" })
            {
                await app.SendAsync(Report("img-src", "https://before.example/x.png", page), userAgent: ua);
            }
        }

        await app.WaitForTotalAsync(6);
        using var started = await app.PostJsonAsync("/_secureheaders/api/sessions", "{\"name\":\"release 2\"}");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var session = await started.ReadJsonAsync();
        var id = session.GetProperty("id").GetInt64();
        Assert.Equal("release 2", session.GetProperty("name").GetString());

        foreach (var ua in new[] { "a", "b" })
        {
            foreach (var page in new[] { "/", "/products" })
            {
                await app.SendAsync(Report("img-src", "https://during.example/x.png", page), userAgent: ua);
            }
        }

        await app.WaitForTotalAsync(10);
        using var ended = await app.PostJsonAsync($"/_secureheaders/api/sessions/{id}/end", "{}");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.NotEqual(JsonValueKind.Null, (await ended.ReadJsonAsync()).GetProperty("endedAt").ValueKind);

        var inSession = await app.GetJsonAsync("/_secureheaders/api/suggestion?policy=default");
        Assert.Equal(id, inSession.GetProperty("session").GetProperty("id").GetInt64());
        Assert.Equal(["https://during.example"], inSession.GetProperty("added").EnumerateArray().Select(a => a.GetProperty("source").GetString()));
        var everything = await app.GetJsonAsync("/_secureheaders/api/suggestion?policy=default&session=all");
        Assert.Equal(2, everything.GetProperty("added").GetArrayLength());

        var sessions = await app.GetJsonAsync("/_secureheaders/api/sessions");
        Assert.Equal(id, Assert.Single(sessions.EnumerateArray()).GetProperty("id").GetInt64());
        using var missing = await app.PostJsonAsync("/_secureheaders/api/sessions/999/end", "{}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Writes_need_a_json_body_so_a_cross_site_form_cannot_send_them()
    {
        var app = await StartAsync();
        using var form = await app.PostJsonAsync("/_secureheaders/api/sessions", "name=x", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        using var optIn = await app.PostJsonAsync("/_secureheaders/api/opt-ins", "policy=default", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, optIn.StatusCode);
        Assert.Empty((await app.GetJsonAsync("/_secureheaders/api/sessions")).EnumerateArray());
    }

    [Fact]
    public async Task An_opt_in_is_validated_recorded_and_brings_back_the_rejected_source()
    {
        var app = await StartAsync();
        await app.SendAsync(Report("form-action", "https://pay.example.com/checkout", "/cart"));
        var before = await WaitForSuggestionAsync(app, "?policy=default", j => j.GetProperty("rejected").GetArrayLength() > 0);
        Assert.Equal("https://pay.example.com", before.GetProperty("rejected")[0].GetProperty("source").GetString());

        using (var bad = await app.PostJsonAsync("/_secureheaders/api/opt-ins", "{\"policy\":\"default\",\"directive\":\"form-action\",\"source\":\"https://pay.example.com\"}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("reason", (await bad.ReadJsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        using (var nonce = await app.PostJsonAsync("/_secureheaders/api/opt-ins", "{\"policy\":\"default\",\"directive\":\"script-src\",\"source\":\"'nonce-abc'\",\"reason\":\"x\"}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, nonce.StatusCode);
        }

        using var ok = await app.PostJsonAsync("/_secureheaders/api/opt-ins",
            "{\"policy\":\"default\",\"directive\":\"form-action\",\"source\":\"https://pay.example.com\",\"reason\":\"payment provider\"}");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var after = await app.GetJsonAsync("/_secureheaders/api/suggestion?policy=default");
        var added = Assert.Single(after.GetProperty("added").EnumerateArray());
        Assert.Equal(LearningRules.OptedIn, added.GetProperty("kind").GetString());
        Assert.Contains("form-action 'self' https://pay.example.com", after.GetProperty("csp").GetString(), StringComparison.Ordinal);
        var optIns = await app.Services.GetRequiredService<IViolationStore>().GetOptInsAsync(Ct);
        Assert.Equal("anonymous (dashboard AllowAnonymous)", Assert.Single(optIns).By);
    }

    [Fact]
    public async Task Unknown_policies_and_bad_parameters_get_clear_errors()
    {
        var app = await StartAsync();
        using var unknown = await app.Client.GetAsync("/_secureheaders/api/suggestion?policy=nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("default", (await unknown.ReadJsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
        using var session = await app.Client.GetAsync("/_secureheaders/api/suggestion?session=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, session.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_shows_allowed_and_rejected_side_by_side_and_copies_only_the_proposal()
    {
        var app = await StartAsync();
        await BrowseAndAttackAsync(app);
        await WaitForSuggestionAsync(app, "?policy=default", j => j.GetProperty("rejected").GetArrayLength() >= 4);
        using var response = await app.Client.GetAsync("/_secureheaders/dashboard", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("<div class=\"allowed\"><h4>Allowed additions</h4>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"rejected\"><h4>Rejected</h4>", html, StringComparison.Ordinal);
        Assert.Contains("4</strong> likely injection(s) blocked", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("<tr class=\"incident\">").Length - 1);
        Assert.Contains("window.injected=true", html, StringComparison.Ordinal);
        // What the Copy buttons copy (the <pre> blocks) never contains a rejected source.
        var copied = string.Concat(html.Split("<pre id=\"").Skip(1).Select(p => p[..p.IndexOf("</pre>", StringComparison.Ordinal)]));
        Assert.Contains("https://cdn.example.net", copied, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example.test", copied, StringComparison.Ordinal);
        Assert.DoesNotContain("sha256", copied, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", copied, StringComparison.Ordinal);
    }
}
