using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.AspNetCore;
using SecureHeaders.ConformanceTests.Engines;
using SecureHeaders.ConformanceTests.Hosting;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>What a protection did in an engine.</summary>
public enum Outcome
{
    /// <summary>The engine applied the protection as SecureHeaders sends it.</summary>
    Enforced,

    /// <summary>The engine acted as if the header or directive were absent.</summary>
    Ignored,

    /// <summary>Some parts applied, others did not; the evidence says which.</summary>
    Partial,
}

/// <summary>The measured outcome and the observations it rests on.</summary>
public sealed record CheckResult(Outcome Outcome, string Evidence)
{
    public static CheckResult From(bool enforced, string evidence) => new(enforced ? Outcome.Enforced : Outcome.Ignored, evidence);

    /// <summary>Enforced when every part held, ignored when none did, partial otherwise.</summary>
    public static CheckResult FromParts(params (bool Held, string Evidence)[] parts) => new(
        parts.All(static p => p.Held) ? Outcome.Enforced : parts.Any(static p => p.Held) ? Outcome.Partial : Outcome.Ignored,
        string.Join("; ", parts.Select(static p => p.Evidence)));
}

/// <summary>
/// One behaviour of one protection, proven in a browser. A check serves its own pages (under <c>/{Id}/</c>, on the
/// hosts of <see cref="ConformanceHosts"/>) with the policy it tests, drives the engine through
/// <see cref="CheckContext"/>, and turns what it observed — in the page or in the server's request log — into a
/// <see cref="CheckResult"/>. Adding one is adding a subclass: the suite finds it by reflection. See CONTRIBUTING.md.
/// </summary>
public abstract class ConformanceCheck
{
    /// <summary>The protection id in <c>docs/browser-matrix.json</c>, e.g. <c>nosniff-script-blocked</c>.</summary>
    public abstract string Id { get; }

    /// <summary>The header the protection rides on, e.g. <c>X-Content-Type-Options</c>.</summary>
    public abstract string Header { get; }

    /// <summary>One sentence: what behaviour is tested, under which policy.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The MDN browser-compat-data feature this behaviour belongs to (<c>Header</c> or <c>Header/feature</c>), so the
    /// docs and the scanner can show MDN's claim next to the measured one; <see langword="null"/> when MDN has none.
    /// </summary>
    public virtual string? MdnFeature => Header;

    /// <summary>
    /// For the docs page: what a user loses where an engine does not enforce this, and what still covers it. Shown
    /// only next to engines that did not enforce it.
    /// </summary>
    public virtual string? WhereNotEnforced => null;

    /// <summary>True when the check only means something over a TLS connection the engine trusts (HSTS).</summary>
    public virtual bool NeedsTrustedCertificate => false;

    /// <summary>Adds named policies this check's endpoints use.</summary>
    public virtual void ConfigurePolicies(SecureHeadersOptions options)
    {
    }

    /// <summary>Maps the check's pages and resources.</summary>
    public abstract void Map(IEndpointRouteBuilder routes);

    /// <summary>Runs the check in one engine.</summary>
    public abstract Task<CheckResult> RunAsync(CheckContext context);

    /// <summary>The path prefix of this check's endpoints.</summary>
    protected string Route(string relative) => "/" + Id + "/" + relative.TrimStart('/');

    /// <summary>An HTML page that loads <c>/_probe.js</c> (violation recording, <c>__done</c>) with the response's nonce.</summary>
    protected static IResult Page(HttpContext context, string body, string head = "")
    {
        var nonce = context.GetCspNonce();
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>conformance</title>
            <script src="/_probe.js" nonce="{nonce}"></script>
            {head.Replace("{nonce}", nonce, StringComparison.Ordinal)}
            </head><body>
            {body.Replace("{nonce}", nonce, StringComparison.Ordinal)}
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>A JavaScript response.</summary>
    protected static IResult Script(string source, string contentType = "text/javascript") => Results.Text(source, contentType);
}

/// <summary>What a check runs with: the engine, the server, and helpers that wait on events with deadlines.</summary>
public sealed class CheckContext(IBrowserEngine engine, ConformanceServer server, CancellationToken cancellationToken)
{
    /// <summary>How long a page may take to publish its result before the check reports that it never did.</summary>
    public static readonly TimeSpan ResultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to keep watching for something that must not happen (a blocked script that would set a flag, a
    /// request the browser must not send), after everything that should happen has.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1.5);

    public IBrowserEngine Engine { get; } = engine;

    public ConformanceServer Server { get; } = server;

    public RequestLog Requests => Server.Requests;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>A token unique to this engine and run, to tell this run's requests from others in the log.</summary>
    public string Token { get; } = engine.Id + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Opens a fresh page at <paramref name="url"/> and waits for its load event.</summary>
    public async Task<IBrowserPage> OpenAsync(Uri url)
    {
        var page = await Engine.NewPageAsync(CancellationToken).ConfigureAwait(false);
        await page.GotoAsync(url, CancellationToken).ConfigureAwait(false);
        return page;
    }

    /// <summary>Waits for the page's <c>window.__result</c> (set by <c>__done(value)</c>); fails naming the engine when it never comes.</summary>
    public async Task<JsonElement> ResultAsync(IBrowserPage page, string what)
    {
        ArgumentNullException.ThrowIfNull(page);
        var value = await page.WaitForValueAsync("window.__result", ResultTimeout, CancellationToken).ConfigureAwait(false);
        if (value is null)
        {
            var location = await page.EvaluateAsync("location.href", CancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"{Engine.Id}: {what} published no result within {ResultTimeout.TotalSeconds} s (page at {location}).");
        }

        return value.Value;
    }

    /// <summary>The CSP violations the page's document reported (securitypolicyviolation events), as "directive blocked" strings.</summary>
    public async Task<IReadOnlyList<string>> ViolationsAsync(IBrowserPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var list = await page.EvaluateAsync("window.__violations || []", CancellationToken).ConfigureAwait(false);
        return [.. list.EnumerateArray().Select(static v => v.GetProperty("directive").GetString() + " " + v.GetProperty("blocked").GetString())];
    }

    public Uri App(string pathAndQuery) => ConformanceHosts.Https(ConformanceHosts.App, pathAndQuery);

    public Uri Other(string pathAndQuery) => ConformanceHosts.Https(ConformanceHosts.Other, pathAndQuery);
}

/// <summary>JSON helpers for page results.</summary>
public static class ResultJson
{
    public static bool Bool(this JsonElement result, string name) => result.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static string Text(this JsonElement result, string name) => result.TryGetProperty(name, out var v)
        ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : v.GetRawText()
        : string.Empty;
}
