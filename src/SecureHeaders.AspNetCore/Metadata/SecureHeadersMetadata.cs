using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Metadata;

/// <summary>Marker for endpoint metadata that decides which security headers an endpoint gets.</summary>
public interface ISecureHeadersMetadata;

/// <summary>Endpoint metadata that selects a named policy.</summary>
public interface IEnableSecureHeadersMetadata : ISecureHeadersMetadata
{
    /// <summary>The policy name, as given to <c>AddPolicy</c> or under <c>SecureHeaders:Policies</c>.</summary>
    string PolicyName { get; }
}

/// <summary>Endpoint metadata that switches SecureHeaders off (no headers, no cookie hardening) for an endpoint.</summary>
public interface IDisableSecureHeadersMetadata : ISecureHeadersMetadata;

/// <summary>Endpoint metadata that changes the policy for one endpoint or route group, on top of the policy it would otherwise get.</summary>
public interface ISecureHeadersPolicyMetadata : ISecureHeadersMetadata
{
    /// <summary>Changes a copy of the policy; runs once at startup.</summary>
    Action<SecureHeadersPolicy> Configure { get; }
}

/// <summary>Applies a named SecureHeaders policy to a controller, action or Razor Page.</summary>
/// <param name="policyName">The policy name.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class SecureHeadersAttribute(string policyName) : Attribute, IEnableSecureHeadersMetadata
{
    /// <inheritdoc />
    public string PolicyName { get; } = policyName ?? throw new ArgumentNullException(nameof(policyName));
}

/// <summary>Switches SecureHeaders off for a controller, action or Razor Page.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DisableSecureHeadersAttribute : Attribute, IDisableSecureHeadersMetadata
{
    /// <summary>The shared instance used by the endpoint conventions.</summary>
    public static DisableSecureHeadersAttribute Instance { get; } = new();
}

/// <summary>An inline change to the policy of an endpoint or route group.</summary>
internal sealed class SecureHeadersPolicyMetadata(Action<SecureHeadersPolicy> configure) : ISecureHeadersPolicyMetadata
{
    public Action<SecureHeadersPolicy> Configure { get; } = configure;
}
