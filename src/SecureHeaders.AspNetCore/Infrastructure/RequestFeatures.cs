using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// The feature lookups of the per-request path, through the collection's indexer. <c>IFeatureCollection.Get&lt;T&gt;</c>
/// (and <c>HttpContext.GetEndpoint</c>, which calls it) is a generic virtual method: its dispatch costs more than
/// the lookup itself, on every response.
/// </summary>
internal static class RequestFeatures
{
    public static Endpoint? Endpoint(HttpContext context) =>
        (context.Features[typeof(IEndpointFeature)] as IEndpointFeature)?.Endpoint;

    public static ICspNonceFeature? Nonce(HttpContext context) =>
        context.Features[typeof(ICspNonceFeature)] as ICspNonceFeature;

    public static NonceBody? Body(HttpContext context) =>
        context.Features[typeof(NonceBody)] as NonceBody;

    public static RememberedEndpoint? Remembered(HttpContext context) =>
        context.Features[typeof(RememberedEndpoint)] as RememberedEndpoint;
}
