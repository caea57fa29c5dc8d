using System.Collections.Immutable;
using System.Globalization;
using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>A parsed <c>Strict-Transport-Security</c> value (RFC 6797 §6.1).</summary>
/// <param name="MaxAge">The max-age in seconds (RFC 6797 §6.1.1).</param>
/// <param name="IncludeSubDomains">Whether the policy covers subdomains (§6.1.2).</param>
/// <param name="Preload">Whether the site asks to be on browsers' preload lists (hstspreload.org; not part of the RFC).</param>
public sealed record StrictTransportSecurityValue(long MaxAge, bool IncludeSubDomains, bool Preload)
{
    /// <summary>Serializes as <c>max-age=N[; includeSubDomains][; preload]</c>.</summary>
    public override string ToString() =>
        "max-age=" + MaxAge.ToString(CultureInfo.InvariantCulture) + (IncludeSubDomains ? "; includeSubDomains" : string.Empty) + (Preload ? "; preload" : string.Empty);
}

/// <summary>Options for <c>Strict-Transport-Security</c>.</summary>
public sealed class StrictTransportSecurityOptions
{
    /// <summary>Whether the header is sent (on HTTPS responses only, RFC 6797 §7.2). Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long browsers remember to use HTTPS only (RFC 6797 §6.1.1). Default: 365 days, the value the HSTS
    /// preload list requires and Helmet sends; OWASP recommends two years.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Whether subdomains are covered too (RFC 6797 §6.1.2). Default: <see langword="true"/> (OWASP, Helmet).</summary>
    public bool IncludeSubDomains { get; set; } = true;

    /// <summary>
    /// Whether to add <c>preload</c>. Default: <see langword="false"/>: preloading is hard to undo, so it must be a
    /// deliberate choice. Requires <see cref="MaxAge"/> of at least one year and <see cref="IncludeSubDomains"/>.
    /// </summary>
    public bool Preload { get; set; }

    internal StrictTransportSecurityOptions Clone() => (StrictTransportSecurityOptions)MemberwiseClone();

    internal string? Compile(string path, ConfigurationProblems problems)
    {
        if (!Enabled)
        {
            return null;
        }

        var seconds = (long)Math.Floor(MaxAge.TotalSeconds);
        if (MaxAge < TimeSpan.Zero)
        {
            problems.Error(path + ":MaxAge", $"max-age cannot be negative ({MaxAge}).", "Use a duration such as 365.00:00:00 (one year), or 0 to tell browsers to forget the policy.");
            return null;
        }

        if (MaxAge > TimeSpan.FromDays(365 * 100))
        {
            problems.Error(path + ":MaxAge", $"max-age of {MaxAge.TotalDays:0} days is implausible; a number of seconds may have been read as days.",
                "Write the duration as d.hh:mm:ss, e.g. 365.00:00:00 for one year.");
            return null;
        }

        if (Preload && (!IncludeSubDomains || seconds < StrictTransportSecurityHeader.OneYear))
        {
            problems.Error(path + ":Preload", "preload requires includeSubDomains and a max-age of at least one year (hstspreload.org submission rules).",
                "Set IncludeSubDomains to true and MaxAge to at least 365.00:00:00, or turn Preload off.");
            return null;
        }

        if (seconds is > 0 and < StrictTransportSecurityHeader.SixMonths)
        {
            problems.Warning(path + ":MaxAge", $"max-age of {MaxAge.TotalDays:0.#} days is shorter than six months; scanners grade it down and the protection lapses quickly.",
                "Use 365.00:00:00 once HTTPS works everywhere on the site.");
        }

        return new StrictTransportSecurityValue(seconds, IncludeSubDomains, Preload).ToString();
    }
}

/// <summary>The <c>Strict-Transport-Security</c> header (RFC 6797).</summary>
public static class StrictTransportSecurityHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Strict-Transport-Security";

    /// <summary>One year in seconds, the minimum for preloading.</summary>
    public const long OneYear = 31_536_000;

    /// <summary>Roughly six months in seconds (180 days), the threshold graders use.</summary>
    public const long SixMonths = 15_552_000;

    /// <summary>
    /// Parses a value by the grammar of RFC 6797 §6.1: directives separated by <c>;</c>, names case-insensitive,
    /// values tokens or quoted strings, each directive at most once, <c>max-age</c> required. A value that breaks
    /// these rules is ignored by browsers (§8.1), so the result then has no value.
    /// </summary>
    public static HeaderParseResult<StrictTransportSecurityValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        if (value.Contains(',', StringComparison.Ordinal))
        {
            return HeaderParseResult<StrictTransportSecurityValue>.Invalid("hsts-repeated",
                "The value contains ',', which usually means the header was sent twice; browsers use only the first header (RFC 6797 §8.1) and the combined value is invalid.",
                "Send Strict-Transport-Security once.");
        }

        long? maxAge = null;
        bool includeSubDomains = false, preload = false;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in value.Split(';'))
        {
            var part = raw.Trim(' ', '\t');
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? part : part[..eq]).Trim(' ', '\t');
            var argument = eq < 0 ? null : Unquote(part[(eq + 1)..].Trim(' ', '\t'));
            if (!Internal.HttpTokens.IsToken(name))
            {
                return HeaderParseResult<StrictTransportSecurityValue>.Invalid("hsts-syntax", $"\"{part}\" is not a directive (RFC 6797 §6.1).", "Use max-age=31536000; includeSubDomains");
            }

            if (!seen.Add(name))
            {
                return HeaderParseResult<StrictTransportSecurityValue>.Invalid("hsts-duplicate-directive",
                    $"{name} appears twice; RFC 6797 §6.1 allows each directive once, so browsers ignore the header.", $"Keep one {name}.");
            }

            switch (name.ToLowerInvariant())
            {
                case "max-age":
                    if (argument is null || argument.Length == 0 || !argument.All(char.IsAsciiDigit)
                        || !long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    {
                        return HeaderParseResult<StrictTransportSecurityValue>.Invalid("hsts-max-age-invalid",
                            $"max-age \"{argument}\" is not a number of seconds (RFC 6797 §6.1.1 delta-seconds).", "Use max-age=31536000 (one year).");
                    }

                    maxAge = seconds;
                    break;
                case "includesubdomains":
                    includeSubDomains = true;
                    if (argument is not null)
                    {
                        diagnostics.Add(new("hsts-unexpected-value", "includeSubDomains takes no value.", "Write includeSubDomains on its own.", IsError: false));
                    }

                    break;
                case "preload":
                    preload = true;
                    break;
                default:
                    // RFC 6797 §6.1: unknown directives are ignored, but a near-miss is usually a typo.
                    var guess = Internal.DidYouMean.Closest(name, ["max-age", "includeSubDomains", "preload"]);
                    diagnostics.Add(new("hsts-unknown-directive", $"{name} is not an HSTS directive; browsers ignore it.",
                        guess is null ? null : $"Did you mean {guess}?", IsError: guess is not null));
                    break;
            }
        }

        if (maxAge is null)
        {
            return HeaderParseResult<StrictTransportSecurityValue>.Invalid("hsts-max-age-missing",
                "max-age is missing; it is required (RFC 6797 §6.1.1), so browsers ignore the header.", "Add max-age=31536000.");
        }

        if (preload && (!includeSubDomains || maxAge < OneYear))
        {
            diagnostics.Add(new("hsts-preload-requirements", "preload is set but the preload list also requires includeSubDomains and max-age of at least 31536000.",
                "Add includeSubDomains and max-age=31536000, or remove preload.", IsError: false));
        }

        if (maxAge == 0)
        {
            diagnostics.Add(new("hsts-max-age-zero", "max-age=0 tells browsers to forget the policy (RFC 6797 §6.1.1).", "Use max-age=31536000 unless you are deliberately removing HSTS.", IsError: false));
        }

        return new(new StrictTransportSecurityValue(maxAge.Value, includeSubDomains, preload), diagnostics.ToImmutable());
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : value;

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new OptionsHeaderDescription<StrictTransportSecurityOptions>(
        Name, "StrictTransportSecurity",
        "Tells browsers to use HTTPS only for this host (RFC 6797); sent on HTTPS responses only and never in the Development profile.",
        static () => new StrictTransportSecurityOptions(), static o => o.Clone(),
        static () => new SettingGroup<StrictTransportSecurityOptions>(static () => new StrictTransportSecurityOptions())
            .Bool("Enabled", "Whether the header is sent.", static o => o.Enabled, static (o, v) => o.Enabled = v)
            .Duration("MaxAge", "How long browsers remember to use HTTPS only (RFC 6797 §6.1.1), as d.hh:mm:ss; a bare number is refused because it would be read as days.", static o => o.MaxAge, static (o, v) => o.MaxAge = v)
            .Bool("IncludeSubDomains", "Cover subdomains too (RFC 6797 §6.1.2).", static o => o.IncludeSubDomains, static (o, v) => o.IncludeSubDomains = v)
            .Bool("Preload", "Add preload (hstspreload.org); needs IncludeSubDomains and a MaxAge of at least a year, and is hard to undo.", static o => o.Preload, static (o, v) => o.Preload = v),
        HeaderShortcuts.HeaderValue<StrictTransportSecurityOptions, StrictTransportSecurityValue>(static (o, v) => o.Enabled = v, Parse, static (o, value) =>
        {
            o.MaxAge = TimeSpan.FromSeconds(value.MaxAge);
            o.IncludeSubDomains = value.IncludeSubDomains;
            o.Preload = value.Preload;
        }),
        [(SettingKind.String, "the header value, e.g. max-age=31536000; includeSubDomains"), (SettingKind.Boolean, "false switches it off")],
        static (options, path, problems, _) => options.Compile(path, problems) is { } value ? new HeaderField(Name, value) : null);
}
