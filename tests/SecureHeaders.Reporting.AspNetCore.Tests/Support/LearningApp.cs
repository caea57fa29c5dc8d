using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.AspNetCore;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Support;

/// <summary>
/// An app protected by SecureHeaders with a strict Report-Only candidate, a named policy and the collector, on
/// TestServer (origin http://localhost). Reports are posted the way browsers post them: to the policy's own URL.
/// </summary>
internal static class LearningApp
{
    public const string Origin = "http://localhost";

    public const string CandidatePolicy =
        "default-src 'self'; script-src 'self' 'nonce' 'report-sample'; style-src 'self' 'nonce'; img-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task<ReportingApp> StartAsync(string contentRoot, Action<SecureHeadersOptions>? headers = null, Action<SecureHeadersReportingOptions>? reporting = null) =>
        ReportingApp.StartAsync(contentRoot, reporting, services: services => services.AddSecureHeaders(o =>
        {
            o.ContentSecurityPolicyReportOnly.Enabled = true;
            o.ContentSecurityPolicyReportOnly.Use(CandidatePolicy);
            o.AddPolicy("api", p => p.ContentSecurityPolicy.Clear().Set("default-src", "'none'").Set("frame-ancestors", "'none'"));
            headers?.Invoke(o);
        }), beforeMap: app =>
        {
            app.UseSecureHeaders();
            app.MapGet("/", () => Results.Content("<p>home</p>", "text/html"));
        });

    /// <summary>A report-uri body (Chrome's spelling), as the browser sends it for the given page.</summary>
    public static string Report(string directive, string blocked, string page = "/", string? sample = null, string disposition = "report",
        string originalPolicy = CandidatePolicy, string origin = Origin) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["csp-report"] = new Dictionary<string, object?>
            {
                ["document-uri"] = origin + page,
                ["violated-directive"] = directive,
                ["effective-directive"] = directive,
                ["original-policy"] = originalPolicy,
                ["disposition"] = disposition,
                ["blocked-uri"] = blocked,
                ["status-code"] = 200,
                ["script-sample"] = sample ?? string.Empty,
            },
        });

    public static async Task SendAsync(this ReportingApp app, string body, string policy = "default", string userAgent = "Chromium/1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_secureheaders/reports" + (policy.Length == 0 ? string.Empty : "?policy=" + Uri.EscapeDataString(policy)))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/csp-report");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(this ReportingApp app, string path, string json, string contentType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await app.Client.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
}
