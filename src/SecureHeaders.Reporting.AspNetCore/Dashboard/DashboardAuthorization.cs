using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.Configuration;
using SecureHeaders.Reporting.AspNetCore.Diagnostics;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary>
/// Guards the dashboard and the read API with <see cref="ReportingDashboardOptions.AuthorizationPolicy"/> (or the
/// app's default policy) by itself, through the same services the authorization middleware uses
/// (<see cref="IPolicyEvaluator"/>, <see cref="IAuthorizationMiddlewareResultHandler"/>), or, in an app that registered
/// no authorization services, by the framework's default policy (an authenticated user).
/// </summary>
/// <remarks>
/// The endpoints carry no authorization metadata: with <c>RequireAuthorization()</c>, an app that calls
/// <c>UseRouting()</c> without <c>UseAuthorization()</c> answers every request with a 500 ("contains authorization
/// metadata, but a middleware was not found"), and one without any authentication scheme throws when the policy
/// challenges. Here the outcome is always a status code: 401 or 403 from the app's own scheme, and 403 when the app
/// has no scheme that could authenticate anybody (which a warning at startup explains).
/// </remarks>
internal sealed class DashboardAuthorization(IOptions<SecureHeadersReportingOptions> options, ILogger<DashboardAuthorization> logger)
{
    private readonly ReportingDashboardOptions _options = options.Value.Dashboard;

    /// <summary>Wraps a handler so that it runs only for requests the policy allows.</summary>
    public RequestDelegate Guard(RequestDelegate next)
    {
        if (_options.AllowAnonymous)
        {
            return next;
        }

        return async context =>
        {
            if (await AuthorizeAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
        };
    }

    private async Task<bool> AuthorizeAsync(HttpContext context)
    {
        var requestServices = context.RequestServices;
        if (requestServices.GetService<IAuthorizationPolicyProvider>() is not { } provider)
        {
            return await AuthorizeWithoutAuthorizationServicesAsync(context).ConfigureAwait(false);
        }

        var policy = await GetPolicyAsync(provider).ConfigureAwait(false);
        if (policy is null)
        {
            // Checked at startup; a provider that answers differently later must still not make this a 500.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }

        // AddAuthorizationCore alone registers no evaluator or result handler; the framework's own ones then serve.
        var evaluator = requestServices.GetService<IPolicyEvaluator>() ?? new PolicyEvaluator(requestServices.GetRequiredService<IAuthorizationService>());
        var authentication = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
        var result = await evaluator.AuthorizeAsync(policy, authentication, context, context).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return true;
        }

        if (!await CanChallengeAsync(requestServices, policy.AuthenticationSchemes.Count > 0).ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }

        // The app's handler answers as it does for its own endpoints (a 401 challenge, a 403, or a login redirect).
        var handler = requestServices.GetService<IAuthorizationMiddlewareResultHandler>() ?? new AuthorizationMiddlewareResultHandler();
        await handler.HandleAsync(static _ => Task.CompletedTask, context, policy, result).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// An app that registered no authorization services has the framework's default policy, an authenticated user
    /// (<see cref="AuthorizationOptions.DefaultPolicy"/>): the user its authentication middleware set is checked, and
    /// anybody else is challenged by its default scheme, or refused when there is none.
    /// </summary>
    private static async Task<bool> AuthorizeWithoutAuthorizationServicesAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            return true;
        }

        if (!await CanChallengeAsync(context.RequestServices, policyNamesScheme: false).ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }

        await context.ChallengeAsync().ConfigureAwait(false);
        return false;
    }

    private async Task<AuthorizationPolicy?> GetPolicyAsync(IAuthorizationPolicyProvider provider) =>
        _options.AuthorizationPolicy is { Length: > 0 } name
            ? await provider.GetPolicyAsync(name).ConfigureAwait(false)
            : await provider.GetDefaultPolicyAsync().ConfigureAwait(false);

    /// <summary>True when a challenge has somewhere to go: a scheme named by the policy, or a default one.</summary>
    private static async Task<bool> CanChallengeAsync(IServiceProvider services, bool policyNamesScheme)
    {
        if (services.GetService<IAuthenticationSchemeProvider>() is not { } schemes)
        {
            return false;
        }

        return policyNamesScheme || await schemes.GetDefaultChallengeSchemeAsync().ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Says at startup what the guard needs and does not have: an unknown policy stops the app (naming the setting);
    /// no authentication scheme, or anonymous access outside Development, is logged as a warning.
    /// </summary>
    public void CheckAtStartup(IServiceProvider services, bool dashboardEnabled, string dashboardPath, string apiPath)
    {
        var environment = services.GetService<IHostEnvironment>();
        if (_options.AllowAnonymous)
        {
            if (environment is not null && !environment.IsDevelopment())
            {
                ReportingLog.DashboardOpenToAnonymous(logger, dashboardPath, apiPath, environment.EnvironmentName);
            }

            return;
        }

        // A default policy always exists; a named one must be registered, which needs the app's authorization services.
        var named = _options.AuthorizationPolicy is { Length: > 0 } name
            ? services.GetService<IAuthorizationPolicyProvider>()?.GetPolicyAsync(name) ?? Task.FromResult<AuthorizationPolicy?>(null)
            : null;
        if (named is { IsCompletedSuccessfully: true, Result: null })
        {
            throw new SecureHeadersConfigurationException([new ConfigurationProblem(
                SecureHeadersReportingOptions.ConfigurationSection + ":Dashboard:AuthorizationPolicy",
                $"The authorization policy '{_options.AuthorizationPolicy}' guarding the reports dashboard and API is not registered.",
                $"Add it with builder.Services.AddAuthorization(o => o.AddPolicy(\"{_options.AuthorizationPolicy}\", p => p.RequireRole(\"security\"))), or remove the setting to use the default policy.")]);
        }

        var schemes = services.GetService<IAuthenticationSchemeProvider>();
        var all = schemes?.GetAllSchemesAsync();
        if (schemes is null || (all!.IsCompletedSuccessfully && !all.Result.Any()))
        {
            // A page nobody can open is a mistake worth a warning; an API left to the CLI (dashboard off) is a choice.
            if (dashboardEnabled)
            {
                ReportingLog.DashboardWithoutAuthentication(logger, dashboardPath, apiPath);
            }
            else
            {
                ReportingLog.ReadApiWithoutAuthentication(logger, apiPath);
            }
        }
    }
}
