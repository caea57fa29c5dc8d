using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using SecureHeaders.Headers;
using SecureHeaders.Configuration;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Hardens <c>Set-Cookie</c> values: adds Secure (on HTTPS), HttpOnly and SameSite where they are missing, and
/// enforces the <c>__Secure-</c> and <c>__Host-</c> prefix rules of RFC 6265bis §4.1.3. Cookies are read with the
/// project's <see cref="SetCookieHeader"/> parser; a value that already satisfies everything is returned unchanged.
/// </summary>
internal sealed class CookieRules
{
    private static readonly string[] s_sameSiteValues = ["Lax", "Strict", "None"];
    private readonly CookieHardeningOptions _options;
    private readonly FrozenDictionary<string, CookieOverride> _overrides;

    public CookieRules(CookieHardeningOptions options)
    {
        _options = options;
        _overrides = options.Overrides.ToFrozenDictionary(StringComparer.Ordinal);
        SameSite = Canonical(options.SameSite) ?? "Lax";
    }

    public bool Enabled => _options.Enabled;

    private string SameSite { get; }

    public static void Validate(CookieHardeningOptions options, ConfigurationProblems problems)
    {
        if (options.Enabled && Canonical(options.SameSite) is null)
        {
            problems.Error("SecureHeaders:Cookies:SameSite", $"\"{options.SameSite}\" is not a SameSite value (RFC 6265bis §5.6.7).", "Use Lax, Strict or None.");
        }

        foreach (var (name, entry) in options.Overrides)
        {
            if (entry.SameSite is not null && Canonical(entry.SameSite) is null)
            {
                problems.Error($"SecureHeaders:Cookies:Overrides:{name}:SameSite", $"\"{entry.SameSite}\" is not a SameSite value.", "Use Lax, Strict or None.");
            }
        }
    }

    private static string? Canonical(string? sameSite) =>
        s_sameSiteValues.FirstOrDefault(v => string.Equals(v, sameSite?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Returns the hardened cookie, or <paramref name="setCookie"/> itself when nothing needs to change.</summary>
    public string Harden(string setCookie, bool isHttps, ILogger logger)
    {
        if (!SetCookieHeader.TryParse(setCookie, out var cookie))
        {
            // Browsers ignore this header whatever we add; leave it as the application wrote it.
            return setCookie;
        }

        _overrides.TryGetValue(cookie.Name, out var entry);
        var prefix = cookie.Prefix;
        var sameSite = cookie.SameSite switch
        {
            SetCookieSameSite.Lax => "Lax",
            SetCookieSameSite.Strict => "Strict",
            SetCookieSameSite.None => "None",
            _ => Canonical(entry?.SameSite) ?? SameSite,
        };
        var wantSecure = (isHttps && (entry?.Secure ?? _options.Secure))
            || prefix != SetCookiePrefix.None
            || (isHttps && sameSite == "None");
        var addSecure = wantSecure && !cookie.Secure;
        var addSameSite = cookie.SameSite is SetCookieSameSite.Unspecified or SetCookieSameSite.Invalid;
        var addHttpOnly = (entry?.HttpOnly ?? _options.HttpOnly) && !cookie.HttpOnly;
        var fixPath = prefix == SetCookiePrefix.Host && cookie.Path != "/";
        var dropDomain = prefix == SetCookiePrefix.Host && cookie.Domain is not null;
        if (!addSecure && !addSameSite && !addHttpOnly && !fixPath && !dropDomain)
        {
            return setCookie;
        }

        if (prefix != SetCookiePrefix.None && (addSecure || fixPath || dropDomain))
        {
            SecureHeadersLog.CookiePrefixFixed(logger, cookie.Name, prefix == SetCookiePrefix.Host ? "__Host-" : "__Secure-",
                string.Join(", ", new[] { addSecure ? "added Secure" : null, fixPath ? "set Path=/" : null, dropDomain ? "removed Domain" : null }.OfType<string>()));
        }

        if (dropDomain)
        {
            cookie = cookie.WithoutAttribute("Domain");
        }

        if (fixPath)
        {
            cookie = cookie.WithAttribute("Path", "/");
        }

        if (addSecure)
        {
            cookie = cookie.WithAttribute("Secure");
        }

        if (addSameSite)
        {
            cookie = cookie.WithAttribute("SameSite", sameSite);
        }

        if (addHttpOnly)
        {
            cookie = cookie.WithAttribute("HttpOnly");
        }

        return cookie.ToString();
    }
}
