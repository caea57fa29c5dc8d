using SecureHeaders.Configuration;
using SecureHeaders.Csp;
using SecureHeaders.Headers;
using SecureHeaders.Policies;

namespace SecureHeaders.Build.StaticHosting;

/// <summary>
/// The headers a static host sends with every file: the policy compiled once by <see cref="PolicyCompiler"/>, with
/// build-time hashes of the pages' inline code where a server would use a nonce.
/// </summary>
internal static class StaticHostHeaders
{
    /// <summary>The compiled headers in two variants.</summary>
    /// <param name="Https">For hosts that only serve HTTPS (Netlify, Cloudflare Pages, Azure Static Web Apps).</param>
    /// <param name="AnyScheme">
    /// For a server that may also answer plain HTTP (nginx: local testing, a first deployment): without
    /// <c>upgrade-insecure-requests</c>, which WebKit applies to loopback too, so that every same-origin request
    /// of a page on http://localhost would go to https and fail (checked with WebKitGTK 2.50). HSTS does the upgrade there.
    /// </param>
    internal sealed record Variants(IReadOnlyList<HeaderField> Https, IReadOnlyList<HeaderField> AnyScheme);

    // Not CspPresets.BlazorWebApp: that preset is for the server-rendered Blazor Web App (nonce'd styles, the
    // template's inline handler), none of which a standalone WebAssembly app on a static host has.
    private static readonly CspPolicy WebAssemblyNeeds = CspPolicy.Parse("script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'");

    /// <summary>
    /// Compiles <paramref name="policy"/> for a static host. Problems go to <paramref name="problems"/> under
    /// <paramref name="path"/>; the result is <see langword="null"/> when there was an error.
    /// </summary>
    /// <param name="policy">The policy (not changed).</param>
    /// <param name="hashes">Hashes of the published pages' inline scripts and styles.</param>
    /// <param name="webAssembly">Adds what Blazor WebAssembly needs: <c>script-src 'self' 'wasm-unsafe-eval'</c> and <c>connect-src 'self'</c>.</param>
    /// <param name="path">The configuration path of the policy, prefixed to every problem.</param>
    /// <param name="problems">Where problems are collected.</param>
    public static Variants? Compile(SecureHeadersPolicy policy, CspHashManifest hashes, bool webAssembly, string path, ConfigurationProblems problems)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(problems);
        policy = policy.Clone();
        if (webAssembly && policy.ContentSecurityPolicy.Enabled)
        {
            // WebAssembly.instantiate needs 'wasm-unsafe-eval' (CSP3 §6.7.2.2, "wasm-unsafe-eval"); nothing else is loosened.
            policy.ContentSecurityPolicy.Merge(WebAssemblyNeeds);
        }

        var compiled = PolicyCompiler.Compile(policy, "static", path, problems, hashes);
        if (compiled is null)
        {
            return null;
        }

        if (compiled.UsesNonce)
        {
            // A static host answers every request with the same bytes: a nonce would be known to everyone.
            problems.Error(path + ":ContentSecurityPolicy", "The policy uses 'nonce', but a static host sends the same headers with every response, so a nonce would be the same for everyone and protect nothing.",
                "Remove 'nonce' and the presets that add it (Strict, StrictWithBasic): the inline scripts of the published pages are hashed at publish instead.");
            return null;
        }

        // Static hosts serve HTTPS (nginx for plain HTTP too: browsers ignore HSTS there, RFC 6797 §8.1).
        return new(compiled.Fields(includeHsts: true, withoutUpgrade: false).ToArray(), compiled.Fields(includeHsts: true, withoutUpgrade: true).ToArray());
    }
}
