using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.AspNetCore.Metadata;
using SecureHeaders.Policies;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Per-endpoint and per-route-group SecureHeaders policies.</summary>
public static class SecureHeadersEndpointConventionBuilderExtensions
{
    /// <summary>Uses the named policy for these endpoints.</summary>
    public static TBuilder WithSecureHeaders<TBuilder>(this TBuilder builder, string policyName)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        var metadata = new SecureHeadersAttribute(policyName);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        builder.Finally(RememberedEndpoint.Install);
        return builder;
    }

    /// <summary>
    /// Changes the policy of these endpoints on top of what they would get otherwise (the default policy, or a
    /// named one set on the group): for example <c>p =&gt; p.ContentSecurityPolicy.Add("img-src", "https://cdn.example.com")</c>
    /// or <c>p =&gt; p.AllowFramingBy("https://partner.example.com")</c>. Compiled and validated at startup.
    /// </summary>
    public static TBuilder WithSecureHeaders<TBuilder>(this TBuilder builder, Action<SecureHeadersPolicy> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var metadata = new SecureHeadersPolicyMetadata(configure);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        builder.Finally(RememberedEndpoint.Install);
        return builder;
    }

    /// <summary>Sends no SecureHeaders headers and leaves cookies alone for these endpoints.</summary>
    public static TBuilder DisableSecureHeaders<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(static endpoint => endpoint.Metadata.Add(DisableSecureHeadersAttribute.Instance));
        builder.Finally(RememberedEndpoint.Install);
        return builder;
    }
}
