using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCaching;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Gives a page that a server-side cache (<c>UseResponseCaching</c>, <c>UseOutputCache</c>) stored and replays a fresh
/// nonce on every response, in its body and in its header alike.
/// </summary>
/// <remarks>
/// <para>When a nonce is created while one of those caches is in the pipeline, the nonce is also written to an
/// internal response header (<see cref="SlotHeader"/>). Both caches copy the response headers when the body starts,
/// before SecureHeaders writes its own headers, so the header is stored with the cached entry; SecureHeaders removes
/// it from every response it sends. When a cached entry is replayed, the header comes back with the nonce of the
/// first rendering: the body stream that SecureHeaders put in front of the cache then replaces that value, and only
/// that value, with the response's fresh nonce (same length, so Content-Length holds).</para>
/// <para>Only the random value of the first rendering is replaced: markup that an attacker managed to store in the
/// page could not know it when the page was rendered, so nothing gains a nonce that did not have one (CSP3 §7.1).</para>
/// </remarks>
internal static class NonceReplay
{
    /// <summary>The internal header that carries the body's nonce into a cache entry. Never sent to clients.</summary>
    public const string SlotHeader = "X-SecureHeaders-Cached-Nonce";

    /// <summary>Called when a nonce is created: under a server-side cache, the nonce goes into the slot header.</summary>
    public static void OnNonceCreated(HttpContext context, CspNonceFeature feature)
    {
        var features = context.Features;
        if (features.Get<IResponseCachingFeature>() is null && features.Get<IOutputCacheFeature>() is null)
        {
            return;
        }

        // From now on the middleware puts NonceBody in front of the cache, ready for the replays.
        if (context.RequestServices?.GetService(typeof(SecureHeadersRuntime)) is SecureHeadersRuntime runtime)
        {
            runtime.NonceReplayActive = true;
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Headers[SlotHeader] = feature.Nonce;
        }
    }
}

