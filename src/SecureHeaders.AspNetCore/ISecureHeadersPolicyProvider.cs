using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore;

/// <summary>
/// Chooses a named policy per response, asynchronously if it must (per tenant, per feature flag…), in the shape of
/// CORS's <c>ICorsPolicyProvider</c>. Register one as a service and SecureHeaders asks it when a response starts,
/// after routing, for every response whose endpoint (or path policy) did not choose already.
/// </summary>
/// <remarks>
/// Policies are compiled and validated at startup; the provider only picks one by name. A name that is not a policy
/// fails that response with a 500 and one log event (ApplyFailed), never a response without headers. Names that can be
/// known at startup (endpoint metadata, PathPolicies) are checked at startup instead.
/// </remarks>
public interface ISecureHeadersPolicyProvider
{
    /// <summary>The name of the policy for this response, or <see langword="null"/> for the default policy.</summary>
    /// <param name="context">The request.</param>
    ValueTask<string?> GetPolicyNameAsync(HttpContext context);
}
