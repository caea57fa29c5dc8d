using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore.Nonce;

/// <summary>
/// Blazor's enhanced navigation fetches the next page and patches it into the current document. The browser keeps
/// enforcing the document's policy, with the nonce of the document's own response (CSP3 §4.2.2: a policy belongs to
/// the document it was delivered with), so a page rendered with a fresh nonce would have its nonce-carrying elements
/// blocked once patched in. SecureHeaders' JavaScript initializer (<c>SecureHeaders.AspNetCore.lib.module.js</c>,
/// loaded by <c>blazor.web.js</c>) sends the document's nonce with those fetches, and the page is rendered with it.
/// </summary>
/// <remarks>
/// The nonce is taken from the request only when it cannot come from anywhere but the page's own script: a custom
/// header on a fetch (a navigation or a form cannot carry one, and another origin would need a CORS preflight that
/// nothing grants, Fetch §4.8), marked as Blazor's enhanced navigation, not a navigation, same-origin when the
/// browser says so (Fetch Metadata §2), and shaped like a SecureHeaders nonce. It gives nothing to injected markup:
/// only elements the server renders with the nonce carry it, as on the document's first response.
/// </remarks>
internal static class EnhancedNavigation
{
    /// <summary>The request header the initializer sets.</summary>
    public const string DocumentNonceHeader = "SecureHeaders-Document-Nonce";

    public static string? DocumentNonce(HttpRequest request)
    {
        var headers = request.Headers;
        if (!headers.TryGetValue(DocumentNonceHeader, out var values) || values.Count != 1 || values[0] is not { Length: Policies.CspTemplate.NonceChars } nonce)
        {
            return null;
        }

        var accept = headers.Accept.ToString();
        if (!accept.Contains("blazor-enhanced-nav=on", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.Equals(headers["Sec-Fetch-Mode"], "navigate", StringComparison.OrdinalIgnoreCase)
            || (headers.TryGetValue("Sec-Fetch-Site", out var site) && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        foreach (var c in nonce)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return null;
            }
        }

        return nonce;
    }
}
