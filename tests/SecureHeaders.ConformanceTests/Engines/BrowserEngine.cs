using System.Text.Json;

namespace SecureHeaders.ConformanceTests.Engines;

/// <summary>
/// One browser engine, launched once per test run and shared by every check. A check only ever talks to this
/// interface, so it is written once and runs in Chromium, Firefox and WebKit alike.
/// </summary>
public interface IBrowserEngine : IAsyncDisposable
{
    /// <summary>The matrix key: <c>chromium</c>, <c>firefox</c> or <c>webkit</c>.</summary>
    string Id { get; }

    /// <summary>The browser's version as it reports it, e.g. <c>156.0.8078.114</c>.</summary>
    string Version { get; }

    /// <summary>
    /// Whether the engine trusts the suite's test CA, so that HTTPS carries no certificate error (HSTS is only
    /// honoured on error-free connections, RFC 6797 §8.1).
    /// </summary>
    bool TrustsTestCertificate { get; }

    /// <summary>Opens a fresh page (a new browser context where the engine has them, else a new window).</summary>
    Task<IBrowserPage> NewPageAsync(CancellationToken cancellationToken);
}

/// <summary>One page (tab) of an engine.</summary>
public interface IBrowserPage : IAsyncDisposable
{
    /// <summary>Navigates and waits for the load event. A navigation the browser refuses is not an error here.</summary>
    Task GotoAsync(Uri url, CancellationToken cancellationToken);

    /// <summary>Evaluates a JavaScript expression in the top document and returns its value as JSON.</summary>
    Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken);

    /// <summary>The cookies the browser stores for <paramref name="url"/>, with their attributes.</summary>
    Task<IReadOnlyList<BrowserCookie>> CookiesAsync(Uri url, CancellationToken cancellationToken);
}

/// <summary>A cookie as the browser stores it.</summary>
public sealed record BrowserCookie(string Name, string Value, string Domain, string Path, bool Secure, bool HttpOnly, string? SameSite);

/// <summary>Helpers every engine shares.</summary>
public static class BrowserPageExtensions
{
    /// <summary>
    /// Polls <paramref name="expression"/> until it is neither <c>undefined</c> nor <c>null</c>, and returns it; or
    /// returns <see langword="null"/> at the deadline. Pages publish their result in <c>window.__result</c>.
    /// </summary>
    public static async Task<JsonElement?> WaitForValueAsync(this IBrowserPage page, string expression, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await page.EvaluateAsync($"(() => {{ try {{ return ({expression}); }} catch (e) {{ return null; }} }})()", cancellationToken).ConfigureAwait(false);
            if (value.ValueKind is not JsonValueKind.Null and not JsonValueKind.Undefined)
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Wraps an expression so that every engine returns it the same way: as a JSON string.</summary>
    internal static string AsJsonScript(string expression) =>
        $"(() => {{ const v = ({expression}); return v === undefined ? 'null' : JSON.stringify(v); }})()";

    internal static JsonElement ParseJson(string? json) =>
        JsonDocument.Parse(string.IsNullOrEmpty(json) ? "null" : json).RootElement.Clone();
}
