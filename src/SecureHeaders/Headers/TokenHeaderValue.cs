namespace SecureHeaders.Headers;

/// <summary>The value of a header whose whole value is one keyword from a fixed list (X-Frame-Options, CORP…).</summary>
/// <param name="Token">The keyword in its canonical spelling.</param>
public sealed record TokenHeaderValue(string Token)
{
    /// <inheritdoc />
    public override string ToString() => Token;

    /// <summary>Parses a value that must be exactly one of <paramref name="allowed"/> (compared ignoring ASCII case).</summary>
    internal static HeaderParseResult<TokenHeaderValue> Parse(string value, string headerName, string codePrefix, IReadOnlyList<string> allowed, string? extraFix = null)
    {
        var trimmed = value.Trim(' ', '\t');
        foreach (var token in allowed)
        {
            if (string.Equals(trimmed, token, StringComparison.OrdinalIgnoreCase))
            {
                return new(new TokenHeaderValue(token), []);
            }
        }

        var guess = Internal.DidYouMean.Closest(trimmed, allowed);
        return HeaderParseResult<TokenHeaderValue>.Invalid(codePrefix + "-invalid",
            $"\"{trimmed}\" is not a valid {headerName} value; browsers ignore it.",
            (guess is not null ? $"Did you mean {guess}? " : string.Empty) + (extraFix ?? "Allowed: " + string.Join(", ", allowed) + "."));
    }
}
