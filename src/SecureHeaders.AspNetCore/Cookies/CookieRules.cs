using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Logging;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore;

/// <summary>
/// Hardens <c>Set-Cookie</c> values: adds Secure (on HTTPS), HttpOnly and SameSite where they are missing, and
/// enforces the <c>__Secure-</c> and <c>__Host-</c> prefix rules of RFC 6265bis §4.1.3. A value that already
/// satisfies everything is returned as the same string, so the common case allocates nothing.
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
        var nameEnd = setCookie.IndexOf('=', StringComparison.Ordinal);
        var firstSemicolon = setCookie.IndexOf(';', StringComparison.Ordinal);
        if (nameEnd < 0 || (firstSemicolon >= 0 && firstSemicolon < nameEnd))
        {
            // RFC 6265bis §5.6 step 4 allows nameless cookies; there is no name to match overrides or prefixes.
            nameEnd = 0;
        }

        var name = setCookie.AsSpan(0, nameEnd).Trim();
        var attributes = Attributes.Read(setCookie, firstSemicolon);
        _overrides.TryGetValue(name.ToString(), out var entry);

        var isSecurePrefix = name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase);
        var isHostPrefix = name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase);
        var sameSite = attributes.SameSite ?? Canonical(entry?.SameSite) ?? SameSite;
        var wantSecure = (isHttps && (entry?.Secure ?? _options.Secure))
            || isSecurePrefix || isHostPrefix
            || (isHttps && string.Equals(sameSite, "None", StringComparison.OrdinalIgnoreCase));
        var wantHttpOnly = entry?.HttpOnly ?? _options.HttpOnly;

        var addSecure = wantSecure && !attributes.Secure;
        var addHttpOnly = wantHttpOnly && !attributes.HttpOnly;
        var addSameSite = attributes.SameSite is null;
        var fixHostPath = isHostPrefix && attributes.Path != "/";
        var dropDomain = isHostPrefix && attributes.HasDomain;
        if (!addSecure && !addHttpOnly && !addSameSite && !fixHostPath && !dropDomain)
        {
            return setCookie;
        }

        if ((isSecurePrefix || isHostPrefix) && (addSecure || fixHostPath || dropDomain))
        {
            SecureHeadersLog.CookiePrefixFixed(logger, name.ToString(), isHostPrefix ? "__Host-" : "__Secure-",
                string.Join(", ", new[] { addSecure ? "added Secure" : null, fixHostPath ? "set Path=/" : null, dropDomain ? "removed Domain" : null }.OfType<string>()));
        }

        var sb = new StringBuilder(setCookie.Length + 40);
        if (fixHostPath || dropDomain)
        {
            // Rebuild without Path and Domain, then add Path=/ (the __Host- prefix requires exactly that).
            sb.Append(firstSemicolon < 0 ? setCookie : setCookie[..firstSemicolon]);
            foreach (var attribute in (firstSemicolon < 0 ? string.Empty : setCookie[(firstSemicolon + 1)..]).Split(';'))
            {
                var attributeName = attribute.Split('=', 2)[0].Trim();
                if (attributeName.Length > 0 && !attributeName.Equals("path", StringComparison.OrdinalIgnoreCase) && !attributeName.Equals("domain", StringComparison.OrdinalIgnoreCase))
                {
                    sb.Append(';').Append(attribute);
                }
            }

            sb.Append("; path=/");
        }
        else
        {
            sb.Append(setCookie);
        }

        if (addSecure)
        {
            sb.Append("; secure");
        }

        if (addSameSite)
        {
            sb.Append("; samesite=").Append(sameSite.ToLowerInvariant());
        }

        if (addHttpOnly)
        {
            sb.Append("; httponly");
        }

        return sb.ToString();
    }

    /// <summary>The attributes hardening looks at, read in one pass over the cookie string (RFC 6265bis §5.6 steps 5-8).</summary>
    private readonly record struct Attributes(bool Secure, bool HttpOnly, string? SameSite, string? Path, bool HasDomain)
    {
        public static Attributes Read(string setCookie, int firstSemicolon)
        {
            if (firstSemicolon < 0)
            {
                return default;
            }

            bool secure = false, httpOnly = false, domain = false;
            string? sameSite = null, path = null;
            var rest = setCookie.AsSpan(firstSemicolon + 1);
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var attribute = (end < 0 ? rest : rest[..end]).Trim();
                rest = end < 0 ? [] : rest[(end + 1)..];
                var eq = attribute.IndexOf('=');
                var attributeName = (eq < 0 ? attribute : attribute[..eq]).Trim();
                var value = eq < 0 ? [] : attribute[(eq + 1)..].Trim();
                if (attributeName.Equals("secure", StringComparison.OrdinalIgnoreCase))
                {
                    secure = true;
                }
                else if (attributeName.Equals("httponly", StringComparison.OrdinalIgnoreCase))
                {
                    httpOnly = true;
                }
                else if (attributeName.Equals("samesite", StringComparison.OrdinalIgnoreCase))
                {
                    // §5.6.7: an unrecognised value is treated as absent ("Default"), so it gets ours.
                    sameSite = Canonical(value.ToString());
                }
                else if (attributeName.Equals("path", StringComparison.OrdinalIgnoreCase))
                {
                    path = value.ToString();
                }
                else if (attributeName.Equals("domain", StringComparison.OrdinalIgnoreCase))
                {
                    domain = true;
                }
            }

            return new(secure, httpOnly, sameSite, path, domain);
        }
    }
}
