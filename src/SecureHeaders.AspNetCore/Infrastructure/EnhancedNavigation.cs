using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Blazor's enhanced navigation fetches the next page and patches it into the current document. The browser keeps
/// enforcing the document's policy, with the nonce of the document's own response (CSP3 §4.2.2: a policy belongs to
/// the document it was delivered with), so a page rendered with a fresh nonce would have its nonce-carrying elements
/// blocked once patched in. SecureHeaders' JavaScript initializer (<c>SecureHeaders.AspNetCore.lib.module.js</c>,
/// loaded by <c>blazor.web.js</c>) sends the document's nonce with those fetches, and the page is rendered with it.
/// </summary>
/// <remarks>
/// Blazor fetches with <c>mode: "no-cors"</c>, so only CORS-safelisted headers leave the browser: the nonce rides as
/// a parameter of <c>Accept</c>, which SecureHeaders strips before Blazor's endpoint (it compares Accept exactly). It
/// is used only for a fetch (never a navigation, which cannot set Accept), same-origin per Fetch Metadata (another
/// site's no-cors fetch says <c>cross-site</c>, and could not read the response anyway), shaped like a SecureHeaders
/// nonce. It gives nothing to injected markup: only elements the server renders with the nonce carry it, as on the
/// document's first response; a server-side cache renews it on replay like any other.
/// </remarks>
internal static class EnhancedNavigation
{
    /// <summary>The Accept value blazor.web.js sends for enhanced navigation (its endpoint compares it exactly).</summary>
    public const string BlazorAccept = "text/html; blazor-enhanced-nav=on";

    private const string Parameter = "; secureheaders-nonce=";

    /// <summary>
    /// For an enhanced-navigation fetch that carries the document's nonce: restores Blazor's own Accept value and
    /// returns the nonce; otherwise null, and the request is left as it is.
    /// </summary>
    public static string? TakeDocumentNonce(HttpRequest request)
    {
        var headers = request.Headers;
        var accept = headers.Accept;
        if (accept.Count != 1 || accept[0] is not { } value || value.Length != BlazorAccept.Length + Parameter.Length + Policies.CspTemplate.NonceChars
            || !value.StartsWith(BlazorAccept + Parameter, StringComparison.Ordinal))
        {
            return null;
        }

        var nonce = value[(BlazorAccept.Length + Parameter.Length)..];
        foreach (var c in nonce)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return null;
            }
        }

        // Blazor's endpoint must see its own value, whatever happens next.
        headers.Accept = BlazorAccept;

        // A fetch of the page itself (Fetch Metadata §2): never a navigation or a subresource, never another site's.
        if ((headers.TryGetValue("Sec-Fetch-Site", out var site) && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase))
            || (headers.TryGetValue("Sec-Fetch-Mode", out var mode) && string.Equals(mode, "navigate", StringComparison.OrdinalIgnoreCase))
            || (headers.TryGetValue("Sec-Fetch-Dest", out var dest) && !string.Equals(dest, "empty", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return nonce;
    }
}
