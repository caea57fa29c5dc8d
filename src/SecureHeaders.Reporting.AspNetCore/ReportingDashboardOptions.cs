using Microsoft.AspNetCore.Http;

namespace SecureHeaders.Reporting.AspNetCore;

/// <summary>The dashboard page and the read side of the JSON API.</summary>
public sealed class ReportingDashboardOptions
{
    /// <summary>Whether the dashboard page is mapped. The JSON API is mapped either way. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the dashboard page. Default <c>/_secureheaders/dashboard</c>.</summary>
    public string Path { get; set; } = "/_secureheaders/dashboard";

    /// <summary>
    /// Authorization policy that guards the dashboard and the read API. <see langword="null"/> uses the app's default
    /// policy (an authenticated user). Reports stay open to browsers whatever this says.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// Opens the dashboard and the read API to anonymous users. Meant for a Development configuration only
    /// (for example <c>"SecureHeaders:Reporting:Dashboard:AllowAnonymous": true</c> in <c>appsettings.Development.json</c>).
    /// Default <see langword="false"/>.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Whether the dashboard response carries its own strict <c>Content-Security-Policy</c>. Turn it off when the
    /// SecureHeaders middleware already applies a nonce policy to the page. Default <see langword="true"/>.
    /// </summary>
    public bool WriteContentSecurityPolicy { get; set; } = true;

    /// <summary>
    /// Supplies the per-request CSP nonce put on the page's <c>&lt;script&gt;</c> and <c>&lt;link&gt;</c> elements and
    /// in its own policy. When <see langword="null"/> (the default) the page uses the SecureHeaders middleware's nonce
    /// for the response (<c>HttpContext.GetCspNonce()</c>), so it passes a nonce policy the middleware applies too.
    /// A provider returning <see langword="null"/> means no nonce.
    /// </summary>
    public Func<HttpContext, string?>? NonceProvider { get; set; }
}
