using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SecureHeaders.Headers;

/// <summary>The <c>SameSite</c> attribute of a cookie (RFC 6265bis §4.1.2.7, §5.6.7).</summary>
public enum SetCookieSameSite
{
    /// <summary>No <c>SameSite</c> attribute: browsers apply their default (Lax in Chromium, None elsewhere).</summary>
    Unspecified,

    /// <summary><c>SameSite=None</c>: sent on cross-site requests; browsers require <c>Secure</c> with it.</summary>
    None,

    /// <summary><c>SameSite=Lax</c>: sent on same-site requests and top-level cross-site navigations with safe methods.</summary>
    Lax,

    /// <summary><c>SameSite=Strict</c>: sent on same-site requests only.</summary>
    Strict,

    /// <summary>
    /// A <c>SameSite</c> attribute whose value is empty or not one of None/Lax/Strict. Browsers treat it as absent
    /// (enforcement "Default", RFC 6265bis §5.6.7), but it is a mistake worth reporting.
    /// </summary>
    Invalid,
}

/// <summary>The name prefixes of RFC 6265bis §4.1.3 that make browsers enforce attributes.</summary>
public enum SetCookiePrefix
{
    /// <summary>No special prefix.</summary>
    None,

    /// <summary><c>__Secure-</c>: the cookie must be <c>Secure</c> (RFC 6265bis §4.1.3.1).</summary>
    Secure,

    /// <summary><c>__Host-</c>: <c>Secure</c>, no <c>Domain</c>, and <c>Path=/</c> (RFC 6265bis §4.1.3.2).</summary>
    Host,
}

/// <summary>One cookie attribute (<c>cookie-av</c>, RFC 6265bis §4.1.1) as written: its name and raw value (<see langword="null"/> when written without <c>=</c>).</summary>
/// <param name="Name">The attribute name as written, with surrounding whitespace removed.</param>
/// <param name="Value">The value with surrounding whitespace removed, or <see langword="null"/> when there was no <c>=</c>.</param>
public readonly record struct SetCookieAv(string Name, string? Value)
{
    /// <summary>Serializes the attribute as <c>Name=Value</c> or <c>Name</c>.</summary>
    public override string ToString() => Value is null ? Name : Name + "=" + Value;
}

/// <summary>
/// One <c>Set-Cookie</c> header value, parsed exactly as browsers do (RFC 6265bis §5.6 "The Set-Cookie Header Field"):
/// the name, the value, every attribute in order, and the effective meaning of the attributes browsers know
/// (the last valid occurrence of each wins, as in the storage model of §5.7). Immutable.
/// </summary>
/// <remarks>
/// Parsing never throws for input that browsers would store; <see cref="TryParse(string?, out SetCookieHeader?)"/>
/// returns <see langword="false"/> exactly when a browser would ignore the whole header. Problems that do not make
/// browsers ignore the cookie (an invalid <c>SameSite</c>, an unreadable <c>Expires</c>, a broken prefix…) are
/// listed by <see cref="Validate"/>.
/// </remarks>
public sealed class SetCookieHeader
{
    /// <summary>The largest name-plus-value length browsers accept (RFC 6265bis §5.6 step 5).</summary>
    public const int MaxNameValueLength = 4096;

    /// <summary>The largest attribute value browsers accept; longer attributes are ignored (RFC 6265bis §5.6, attribute step 5).</summary>
    public const int MaxAttributeValueLength = 1024;

    private SetCookieHeader(string name, string value, ImmutableArray<SetCookieAv> attributes)
    {
        Name = name;
        Value = value;
        Attributes = attributes;
        foreach (var attribute in attributes)
        {
            Apply(attribute);
        }
    }

    /// <summary>The cookie name (may be empty for a nameless cookie, RFC 6265bis §5.6 step 3).</summary>
    public string Name { get; }

    /// <summary>The cookie value as written (quotes, if any, are part of it).</summary>
    public string Value { get; }

    /// <summary>Every attribute in the order written, including unknown and ignored ones.</summary>
    public ImmutableArray<SetCookieAv> Attributes { get; }

    /// <summary>True when a <c>Secure</c> attribute is present (RFC 6265bis §5.6.5).</summary>
    public bool Secure { get; private set; }

    /// <summary>True when an <c>HttpOnly</c> attribute is present (RFC 6265bis §5.6.6).</summary>
    public bool HttpOnly { get; private set; }

    /// <summary>True when a <c>Partitioned</c> attribute is present (CHIPS; requires <c>Secure</c>).</summary>
    public bool Partitioned { get; private set; }

    /// <summary>The effective <c>SameSite</c> attribute: the last one written wins.</summary>
    public SetCookieSameSite SameSite { get; private set; }

    /// <summary>The raw value of the last <c>SameSite</c> attribute, or <see langword="null"/> when there is none.</summary>
    public string? SameSiteValue { get; private set; }

    /// <summary>The effective <c>Path</c> (last valid one; a value not starting with <c>/</c> means the default path, reported as <see langword="null"/>).</summary>
    public string? Path { get; private set; }

    /// <summary>True when any <c>Path</c> attribute was written, valid or not.</summary>
    public bool HasPathAttribute { get; private set; }

    /// <summary>The effective <c>Domain</c>: the last non-empty one, without a leading dot, lower-cased (RFC 6265bis §5.6.3).</summary>
    public string? Domain { get; private set; }

    /// <summary>The effective <c>Expires</c> date: the last one that parses as a cookie date (RFC 6265bis §5.6.1).</summary>
    public DateTimeOffset? Expires { get; private set; }

    /// <summary>The effective <c>Max-Age</c> in seconds: the last valid one (RFC 6265bis §5.6.2). Zero or negative expires the cookie at once.</summary>
    public long? MaxAge { get; private set; }

    /// <summary>True when neither a valid <c>Max-Age</c> nor a valid <c>Expires</c> is present: the cookie lasts until the session ends.</summary>
    public bool IsSessionCookie => MaxAge is null && Expires is null;

    /// <summary>The name prefix, matched ASCII case-insensitively as RFC 6265bis §5.7 step 20-21 does.</summary>
    public SetCookiePrefix Prefix =>
        Name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) ? SetCookiePrefix.Host
        : Name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase) ? SetCookiePrefix.Secure
        : SetCookiePrefix.None;

    /// <summary>
    /// True when the cookie meets the requirements of its name prefix (RFC 6265bis §4.1.3): <c>__Secure-</c> needs
    /// <c>Secure</c>; <c>__Host-</c> needs <c>Secure</c>, no <c>Domain</c> and <c>Path=/</c>. Browsers silently drop a
    /// cookie that does not (§5.7 steps 20-21).
    /// </summary>
    public bool MeetsPrefixRequirements => PrefixViolations().Count == 0;

    /// <summary>Parses a header value; throws <see cref="FormatException"/> when browsers would ignore it.</summary>
    public static SetCookieHeader Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var cookie, out var reason) ? cookie : throw new FormatException(reason);
    }

    /// <summary>Parses a header value; returns <see langword="false"/> when browsers would ignore it.</summary>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SetCookieHeader? cookie) =>
        TryParse(value, out cookie, out _);

    /// <summary>Parses a header value; on failure <paramref name="reason"/> says why browsers ignore it.</summary>
    public static bool TryParse(
        string? value,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SetCookieHeader? cookie,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        cookie = null;
        if (value is null)
        {
            reason = "The header value is missing.";
            return false;
        }

        // §5.6 step 1: a control character other than HTAB makes the whole header ignored.
        foreach (var c in value)
        {
            if ((c < '\x20' && c != '\t') || c == '\x7F')
            {
                reason = $"The value contains the control character U+{(int)c:X4}; browsers ignore the whole cookie.";
                return false;
            }
        }

        // Steps 2-4: the name-value pair ends at the first ';'; a pair without '=' is a nameless cookie.
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var pair = semicolon < 0 ? value : value[..semicolon];
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        var name = (equals < 0 ? string.Empty : pair[..equals]).Trim(' ', '\t');
        var cookieValue = (equals < 0 ? pair : pair[(equals + 1)..]).Trim(' ', '\t');

        // Step 5 and the empty-cookie rule.
        if (name.Length + cookieValue.Length > MaxNameValueLength)
        {
            reason = $"The name and value are {name.Length + cookieValue.Length} characters long; browsers ignore cookies over {MaxNameValueLength}.";
            return false;
        }

        if (name.Length == 0 && cookieValue.Length == 0)
        {
            reason = "The cookie has neither a name nor a value; browsers ignore it.";
            return false;
        }

        var attributes = ImmutableArray.CreateBuilder<SetCookieAv>();
        if (semicolon >= 0)
        {
            foreach (var rawAttribute in value[(semicolon + 1)..].Split(';'))
            {
                var attributeEquals = rawAttribute.IndexOf('=', StringComparison.Ordinal);
                var attributeName = (attributeEquals < 0 ? rawAttribute : rawAttribute[..attributeEquals]).Trim(' ', '\t');
                var attributeValue = attributeEquals < 0 ? null : rawAttribute[(attributeEquals + 1)..].Trim(' ', '\t');
                if (attributeName.Length == 0 && attributeValue is null)
                {
                    continue;
                }

                attributes.Add(new(attributeName, attributeValue));
            }
        }

        cookie = new SetCookieHeader(name, cookieValue, attributes.ToImmutable());
        reason = null;
        return true;
    }

    /// <summary>
    /// The requirements of the name prefix that this cookie breaks (RFC 6265bis §4.1.3), each as a sentence; empty when
    /// it has no prefix or meets them.
    /// </summary>
    public IReadOnlyList<string> PrefixViolations()
    {
        var prefix = Prefix;
        if (prefix == SetCookiePrefix.None)
        {
            return [];
        }

        var problems = new List<string>();
        var written = Name[..(prefix == SetCookiePrefix.Host ? 7 : 9)];
        if (!Secure)
        {
            problems.Add($"A {written} cookie must have the Secure attribute.");
        }

        if (prefix == SetCookiePrefix.Host)
        {
            if (Domain is not null)
            {
                problems.Add($"A {written} cookie must not have a Domain attribute.");
            }

            if (Path != "/")
            {
                problems.Add($"A {written} cookie must have Path=/.");
            }
        }

        return problems;
    }

    /// <summary>
    /// Problems that do not make browsers ignore the header but change what it means or will soon: invalid or
    /// repeated attributes, unreadable dates, broken prefixes, <c>SameSite=None</c> or <c>Partitioned</c> without
    /// <c>Secure</c>, characters outside <c>cookie-octet</c> (RFC 6265bis §4.1.1).
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Name.Length == 0)
        {
            problems.Add("The cookie has no name (no '=' before the first ';'); some servers and frameworks cannot read it back.");
        }
        else if (!Internal.HttpTokens.IsToken(Name))
        {
            problems.Add($"The name \"{Name}\" is not an HTTP token (RFC 6265bis §4.1.1 cookie-name).");
        }

        var unquoted = Value.Length >= 2 && Value[0] == '"' && Value[^1] == '"' ? Value[1..^1] : Value;
        foreach (var c in unquoted)
        {
            if (!IsCookieOctet(c))
            {
                problems.Add($"The value contains '{c}', which is not a cookie-octet (RFC 6265bis §4.1.1); encode the value (e.g. base64url).");
                break;
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in Attributes)
        {
            var known = KnownAttributeName(attribute.Name);
            if (known is null)
            {
                problems.Add($"\"{attribute.Name}\" is not a cookie attribute; browsers ignore it.");
                continue;
            }

            if (!seen.Add(known))
            {
                problems.Add($"{known} is written more than once; browsers use the last valid one.");
            }

            if (attribute.Value is { Length: > MaxAttributeValueLength })
            {
                problems.Add($"The {known} value is longer than {MaxAttributeValueLength} characters; browsers ignore it.");
                continue;
            }

            switch (known)
            {
                case "Expires" when !SetCookieDate.TryParse(attribute.Value, out _):
                    problems.Add($"Expires=\"{attribute.Value}\" is not a date browsers can read; the cookie becomes a session cookie. Use e.g. {SetCookieDate.Format(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))}.");
                    break;
                case "Max-Age" when !TryParseMaxAge(attribute.Value, out _):
                    problems.Add($"Max-Age=\"{attribute.Value}\" is not a whole number of seconds; browsers ignore it.");
                    break;
                case "Domain" when string.IsNullOrEmpty(attribute.Value):
                    problems.Add("Domain has no value; browsers ignore the attribute.");
                    break;
                case "Path" when attribute.Value is not ['/', ..]:
                    problems.Add($"Path=\"{attribute.Value}\" does not start with '/'; browsers use the default path instead.");
                    break;
                case "SameSite" when ParseSameSite(attribute.Value) == SetCookieSameSite.Invalid:
                    problems.Add($"SameSite=\"{attribute.Value}\" is not Strict, Lax or None; browsers treat the cookie as having no SameSite attribute.");
                    break;
                case "Secure" or "HttpOnly" or "Partitioned" when attribute.Value is not null:
                    problems.Add($"{known} takes no value; \"{attribute.Value}\" is ignored.");
                    break;
                default:
                    break;
            }
        }

        if (SameSite == SetCookieSameSite.None && !Secure)
        {
            problems.Add("SameSite=None without Secure: browsers reject the cookie.");
        }

        if (Partitioned && !Secure)
        {
            problems.Add("Partitioned without Secure: browsers reject the cookie.");
        }

        problems.AddRange(PrefixViolations());
        return problems;
    }

    /// <summary>Returns a copy with an attribute added (or, for flag and single-valued attributes, replaced).</summary>
    public SetCookieHeader WithAttribute(string name, string? value = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var known = KnownAttributeName(name);
        var builder = ImmutableArray.CreateBuilder<SetCookieAv>();
        foreach (var attribute in Attributes)
        {
            if (known is null || !string.Equals(KnownAttributeName(attribute.Name), known, StringComparison.Ordinal))
            {
                builder.Add(attribute);
            }
        }

        builder.Add(new(known ?? name, value));
        return new SetCookieHeader(Name, Value, builder.ToImmutable());
    }

    /// <summary>Returns a copy without any attribute of that name (case-insensitive).</summary>
    public SetCookieHeader WithoutAttribute(string name) =>
        new(Name, Value, [.. Attributes.Where(a => !string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))]);

    /// <summary>Serializes the cookie as <c>name=value; Attr; Attr=value</c>, keeping the attributes in order.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Name.Length > 0)
        {
            sb.Append(Name).Append('=');
        }

        sb.Append(Value);
        foreach (var attribute in Attributes)
        {
            sb.Append("; ").Append(attribute.ToString());
        }

        return sb.ToString();
    }

    /// <summary>The canonical spelling of a known attribute name, or <see langword="null"/> for an unknown one.</summary>
    internal static string? KnownAttributeName(string name) => name.ToUpperInvariant() switch
    {
        "EXPIRES" => "Expires",
        "MAX-AGE" => "Max-Age",
        "DOMAIN" => "Domain",
        "PATH" => "Path",
        "SECURE" => "Secure",
        "HTTPONLY" => "HttpOnly",
        "SAMESITE" => "SameSite",
        "PARTITIONED" => "Partitioned",
        "PRIORITY" => "Priority",
        _ => null,
    };

    /// <summary>Reads a SameSite value as RFC 6265bis §5.6.7 does, keeping "invalid" apart from "absent".</summary>
    internal static SetCookieSameSite ParseSameSite(string? value) =>
        value is null ? SetCookieSameSite.Invalid
        : value.Equals("none", StringComparison.OrdinalIgnoreCase) ? SetCookieSameSite.None
        : value.Equals("lax", StringComparison.OrdinalIgnoreCase) ? SetCookieSameSite.Lax
        : value.Equals("strict", StringComparison.OrdinalIgnoreCase) ? SetCookieSameSite.Strict
        : SetCookieSameSite.Invalid;

    // §5.6.2: an optional '-' then digits only; out-of-range values saturate.
    private static bool TryParseMaxAge(string? value, out long seconds)
    {
        seconds = 0;
        if (string.IsNullOrEmpty(value) || !(char.IsAsciiDigit(value[0]) || value[0] == '-'))
        {
            return false;
        }

        var digits = value[0] == '-' ? value.AsSpan(1) : value.AsSpan();
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            seconds = long.MaxValue;
        }

        if (value[0] == '-')
        {
            seconds = -seconds;
        }

        return true;
    }

    private static bool IsCookieOctet(char c) =>
        c is '\x21' or (>= '\x23' and <= '\x2B') or (>= '\x2D' and <= '\x3A') or (>= '\x3C' and <= '\x5B') or (>= '\x5D' and <= '\x7E');

    private void Apply(SetCookieAv attribute)
    {
        if (attribute.Value is { Length: > MaxAttributeValueLength })
        {
            return;
        }

        switch (KnownAttributeName(attribute.Name))
        {
            case "Expires":
                if (SetCookieDate.TryParse(attribute.Value, out var expires))
                {
                    Expires = expires;
                }

                break;
            case "Max-Age":
                if (TryParseMaxAge(attribute.Value, out var maxAge))
                {
                    MaxAge = maxAge;
                }

                break;
            case "Domain":
                if (!string.IsNullOrEmpty(attribute.Value))
                {
                    var domain = attribute.Value.StartsWith('.') ? attribute.Value[1..] : attribute.Value;
                    Domain = domain.Length == 0 ? null : domain.ToLowerInvariant();
                }

                break;
            case "Path":
                HasPathAttribute = true;
                Path = attribute.Value is ['/', ..] ? attribute.Value : null;
                break;
            case "Secure":
                Secure = true;
                break;
            case "HttpOnly":
                HttpOnly = true;
                break;
            case "Partitioned":
                Partitioned = true;
                break;
            case "SameSite":
                SameSiteValue = attribute.Value ?? string.Empty;
                SameSite = ParseSameSite(attribute.Value);
                break;
            default:
                break;
        }
    }
}
