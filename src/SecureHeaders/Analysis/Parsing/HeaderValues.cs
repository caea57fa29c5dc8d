using System.Globalization;

namespace SecureHeaders.Analysis.Parsing;

// Small readers for the header values the checks need. They are the seam to the header value models of
// SecureHeaders.Headers: when a model for a header lands there, the reader for it delegates to that model.

/// <summary>An HSTS value read per RFC 6797 §6.1.</summary>
internal sealed record HstsValue(long? MaxAge, bool IncludeSubDomains, bool Preload, IReadOnlyList<string> Errors)
{
    /// <summary>Browsers ignore a header without a valid max-age (RFC 6797 §6.1.1).</summary>
    public bool IsUsable => MaxAge is not null && Errors.Count == 0;

    public static HstsValue Parse(string value)
    {
        var errors = new List<string>();
        long? maxAge = null;
        bool include = false, preload = false;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in value.Split(';'))
        {
            var directive = raw.Trim(' ', '\t');
            if (directive.Length == 0)
            {
                continue;
            }

            var equals = directive.IndexOf('=', StringComparison.Ordinal);
            var name = (equals < 0 ? directive : directive[..equals]).Trim(' ', '\t');
            var argument = equals < 0 ? null : directive[(equals + 1)..].Trim(' ', '\t');
            if (!seen.Add(name))
            {
                errors.Add($"The directive {name} appears more than once, which makes the whole header invalid (RFC 6797 §6.1 rule 2).");
                continue;
            }

            if (name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                var digits = argument is ['"', .., '"'] && argument.Length >= 2 ? argument[1..^1] : argument;
                if (digits is null || digits.Length == 0 || !digits.All(char.IsAsciiDigit))
                {
                    errors.Add($"max-age=\"{argument}\" is not a number of seconds (RFC 6797 §6.1.1 delta-seconds); browsers ignore the whole header.");
                }
                else
                {
                    maxAge = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : long.MaxValue;
                }
            }
            else if (name.Equals("includeSubDomains", StringComparison.OrdinalIgnoreCase))
            {
                include = true;
            }
            else if (name.Equals("preload", StringComparison.OrdinalIgnoreCase))
            {
                preload = true;
            }
        }

        if (maxAge is null && errors.Count == 0)
        {
            errors.Add("There is no max-age directive; it is required (RFC 6797 §6.1.1), so browsers ignore the header.");
        }

        return new(maxAge, include, preload, errors);
    }
}

/// <summary>Referrer-Policy per W3C Referrer Policy §4.1 and §8.1: comma-separated tokens, the last known one wins.</summary>
internal static class ReferrerPolicyValue
{
    public static readonly string[] Known =
    [
        "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin", "origin-when-cross-origin",
        "strict-origin-when-cross-origin", "unsafe-url",
    ];

    public static readonly string[] Leaky = ["unsafe-url", "no-referrer-when-downgrade", "origin-when-cross-origin", "origin"];

    /// <summary>The effective policy (last recognised token) and the tokens browsers ignore.</summary>
    public static (string? Effective, IReadOnlyList<string> Unknown) Parse(IEnumerable<string> values)
    {
        string? effective = null;
        var unknown = new List<string>();
        foreach (var value in values)
        {
            foreach (var raw in value.Split(','))
            {
                var token = raw.Trim(' ', '\t').ToLowerInvariant();
                if (token.Length == 0)
                {
                    continue;
                }

                if (Array.IndexOf(Known, token) >= 0)
                {
                    effective = token;
                }
                else
                {
                    unknown.Add(token);
                }
            }
        }

        return (effective, unknown);
    }
}

/// <summary>X-Frame-Options per the HTML Standard §7.1.7 processing model (split on commas; all values must agree).</summary>
internal static class XFrameOptionsValue
{
    /// <summary>Returns DENY, SAMEORIGIN, ALLOW-FROM (ignored by browsers), CONFLICT or INVALID.</summary>
    public static string Classify(IEnumerable<string> values)
    {
        var tokens = values.SelectMany(static v => v.Split(',')).Select(static t => t.Trim(' ', '\t').ToLowerInvariant()).Where(static t => t.Length > 0).ToList();
        if (tokens.Count == 0)
        {
            return "INVALID";
        }

        if (tokens.Exists(static t => t.StartsWith("allow-from", StringComparison.Ordinal)))
        {
            return "ALLOW-FROM";
        }

        var distinct = tokens.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 1)
        {
            return distinct.TrueForAll(static t => t is "deny" or "sameorigin") ? "CONFLICT" : "INVALID";
        }

        return distinct[0] switch { "deny" => "DENY", "sameorigin" => "SAMEORIGIN", _ => "INVALID" };
    }
}

/// <summary>
/// A reader for the structured-field dictionaries and items of RFC 8941 that Permissions-Policy, COOP and COEP use.
/// It accepts tokens, strings, inner lists and parameters; anything else is an error.
/// </summary>
internal static class StructuredField
{
    public sealed record Member(string Key, IReadOnlyList<string> Items, bool IsInnerList, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>Parses an sf-dictionary (RFC 8941 §4.2.2); returns null and an error when it is not one.</summary>
    public static IReadOnlyList<Member>? ParseDictionary(string input, out string? error)
    {
        var members = new List<Member>();
        var i = 0;
        SkipSpaces(input, ref i);
        while (i < input.Length)
        {
            var key = ParseKey(input, ref i);
            if (key is null)
            {
                error = $"Expected a key at position {i}.";
                return null;
            }

            var items = new List<string>();
            var inner = false;
            if (i < input.Length && input[i] == '=')
            {
                i++;
                if (i < input.Length && input[i] == '(')
                {
                    inner = true;
                    i++;
                    while (true)
                    {
                        SkipSpaces(input, ref i);
                        if (i < input.Length && input[i] == ')')
                        {
                            i++;
                            break;
                        }

                        var item = ParseBareItem(input, ref i);
                        if (item is null)
                        {
                            error = $"Expected a token or string inside the list of {key}.";
                            return null;
                        }

                        items.Add(item);
                        ParseParameters(input, ref i);
                        if (i < input.Length && input[i] is not ' ' and not ')')
                        {
                            error = $"Items in the list of {key} must be separated by spaces.";
                            return null;
                        }
                    }
                }
                else
                {
                    var item = ParseBareItem(input, ref i);
                    if (item is null)
                    {
                        error = $"The value of {key} is not a token, a string or a list.";
                        return null;
                    }

                    items.Add(item);
                }
            }
            else
            {
                items.Add("?1");
            }

            var parameters = ParseParameters(input, ref i);
            members.Add(new(key, items, inner, parameters));
            SkipOws(input, ref i);
            if (i >= input.Length)
            {
                break;
            }

            if (input[i] != ',')
            {
                error = $"Expected ',' after {key}.";
                return null;
            }

            i++;
            SkipOws(input, ref i);
            if (i >= input.Length)
            {
                error = "A trailing ',' ends the dictionary.";
                return null;
            }
        }

        error = null;
        return members;
    }

    /// <summary>Parses an sf-item that is a token (COOP, COEP), returning the token and its parameters.</summary>
    public static string? ParseTokenItem(string input, out IReadOnlyDictionary<string, string> parameters)
    {
        var i = 0;
        SkipSpaces(input, ref i);
        var token = ParseBareItem(input, ref i);
        parameters = ParseParameters(input, ref i);
        SkipSpaces(input, ref i);
        return i == input.Length && token is not null && !token.StartsWith('"') ? token : null;
    }

    private static Dictionary<string, string> ParseParameters(string input, ref int i)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (i < input.Length && input[i] == ';')
        {
            i++;
            SkipSpaces(input, ref i);
            var key = ParseKey(input, ref i);
            if (key is null)
            {
                break;
            }

            var value = "?1";
            if (i < input.Length && input[i] == '=')
            {
                i++;
                value = ParseBareItem(input, ref i) ?? string.Empty;
            }

            parameters[key] = value;
        }

        return parameters;
    }

    private static string? ParseKey(string input, ref int i)
    {
        if (i >= input.Length || !(char.IsAsciiLetterLower(input[i]) || input[i] == '*'))
        {
            return null;
        }

        var start = i;
        while (i < input.Length && (char.IsAsciiLetterLower(input[i]) || char.IsAsciiDigit(input[i]) || input[i] is '_' or '-' or '.' or '*'))
        {
            i++;
        }

        return input[start..i];
    }

    private static string? ParseBareItem(string input, ref int i)
    {
        if (i >= input.Length)
        {
            return null;
        }

        var start = i;
        if (input[i] == '"')
        {
            i++;
            while (i < input.Length && input[i] != '"')
            {
                i += input[i] == '\\' ? 2 : 1;
            }

            if (i >= input.Length)
            {
                return null;
            }

            i++;
            return input[start..i];
        }

        if (char.IsAsciiLetter(input[i]) || input[i] == '*')
        {
            while (i < input.Length && (Internal.HttpTokens.IsTokenChar(input[i]) || input[i] is ':' or '/'))
            {
                i++;
            }

            return input[start..i];
        }

        if (char.IsAsciiDigit(input[i]) || input[i] is '-' or '?')
        {
            i++;
            while (i < input.Length && (char.IsAsciiDigit(input[i]) || input[i] is '.' or '0' or '1'))
            {
                i++;
            }

            return input[start..i];
        }

        return null;
    }

    private static void SkipSpaces(string input, ref int i)
    {
        while (i < input.Length && input[i] == ' ')
        {
            i++;
        }
    }

    private static void SkipOws(string input, ref int i)
    {
        while (i < input.Length && input[i] is ' ' or '\t')
        {
            i++;
        }
    }
}
