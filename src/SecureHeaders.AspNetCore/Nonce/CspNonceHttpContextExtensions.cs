using SecureHeaders.AspNetCore;
using SecureHeaders.AspNetCore.Infrastructure;

namespace Microsoft.AspNetCore.Http;

/// <summary>Access to the CSP nonce of the current response.</summary>
public static class CspNonceHttpContextExtensions
{
    /// <summary>
    /// Returns the nonce for this response, creating it on first call. Put it on inline scripts and styles as
    /// <c>nonce="@Context.GetCspNonce()"</c> (or use the <c>csp-nonce</c> tag helper attribute); the policy's
    /// <c>'nonce'</c> placeholders carry the same value. Call it before the response starts.
    /// </summary>
    public static string GetCspNonce(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return GetOrCreateNonceFeature(context).Nonce;
    }

    internal static CspNonceFeature GetOrCreateNonceFeature(HttpContext context, bool replay = false)
    {
        if (context.Features.Get<ICspNonceFeature>() is CspNonceFeature existing)
        {
            return existing;
        }

        var feature = new CspNonceFeature();
        context.Features.Set<ICspNonceFeature>(feature);
        if (!replay)
        {
            // The page will contain this nonce; a server-side cache must remember it (see NonceReplay).
            NonceReplay.OnNonceCreated(context, feature);
        }

        return feature;
    }
}
