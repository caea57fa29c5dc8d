using System.Collections.Concurrent;

namespace RazorPagesApp;

/// <summary>Endpoints the browser tests use: a report-uri collector, and a page reflecting markup as an injection would.</summary>
internal static class TestEndpoints
{
    private static readonly ConcurrentQueue<string> Reports = new();

    private static string Page(string markup) => "<!DOCTYPE html><html><head><title>Injected</title></head><body><h1>Injected</h1>" + markup + "</body></html>";

    public static void Map(WebApplication app)
    {
        app.MapPost("/_test/csp-reports", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            Reports.Enqueue(await reader.ReadToEndAsync().ConfigureAwait(false));
            return Results.NoContent();
        }).DisableAntiforgery();
        app.MapGet("/_test/csp-reports", () => Results.Text("[" + string.Join(",", Reports) + "]", "application/json"));
        app.MapDelete("/_test/csp-reports", () =>
        {
            Reports.Clear();
            return Results.NoContent();
        });
        // Markup reflected as an injection would be: on a page under the site's policy, and under Swagger UI's path.
        app.MapGet("/_test/injected", (string markup) => Results.Content(Page(markup), "text/html"));
        app.MapGet("/swagger/_test/injected", (string markup) => Results.Content(Page(markup), "text/html"));
        app.MapGet("/_test/evil.js", () => Results.Text("window.__injected = 'external';", "text/javascript"));
    }
}
