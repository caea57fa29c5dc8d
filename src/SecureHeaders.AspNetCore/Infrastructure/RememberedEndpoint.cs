using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureHeaders.AspNetCore.Metadata;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// The endpoint a request was routed to, kept for endpoints with SecureHeaders metadata. Some middleware clears the
/// endpoint before it writes the response (Swashbuckle's Swagger UI does, so that the static-file middleware serves
/// its assets), and the policy the endpoint asked for would then be lost by the time the response starts.
/// </summary>
internal sealed class RememberedEndpoint(Endpoint endpoint)
{
    public Endpoint Endpoint { get; } = endpoint;

    /// <summary>True once an endpoint asked to be remembered, so that other apps pay no lookup for it.</summary>
    public static bool InUse { get; private set; }

    /// <summary>Wraps the endpoint's request delegate so that it records the endpoint before running.</summary>
    public static void Install(EndpointBuilder builder)
    {
        if (builder.RequestDelegate is not { } inner)
        {
            return;
        }

        InUse = true;
        RememberedEndpoint? cached = null;
        builder.RequestDelegate = context =>
        {
            if (context.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<ISecureHeadersMetadata>() is not null)
            {
                // One instance per endpoint, reused by every request: no allocation on the request path.
                var remembered = cached;
                if (remembered is null || !ReferenceEquals(remembered.Endpoint, endpoint))
                {
                    cached = remembered = new RememberedEndpoint(endpoint);
                }

                context.Features.Set(remembered);
            }

            return inner(context);
        };
    }
}
