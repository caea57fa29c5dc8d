using System.Collections.Immutable;

namespace SecureHeaders.Headers;

/// <summary>A parsed <c>Referrer-Policy</c> value.</summary>
/// <param name="Tokens">The recognised policy tokens in order (a fallback list: older browsers use the last one they know).</param>
public sealed record ReferrerPolicyValue(ImmutableArray<string> Tokens)
{
    /// <summary>The policy a current browser applies: the last recognised token (Referrer Policy §8.1).</summary>
    public string Effective => Tokens[^1];

    /// <summary>Serializes as a comma-separated list.</summary>
    public override string ToString() => string.Join(", ", Tokens);
}

/// <summary>The <c>Referrer-Policy</c> header (W3C Referrer Policy §4.1).</summary>
public static class ReferrerPolicyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Referrer-Policy";

    /// <summary>Every policy token, from strictest to loosest.</summary>
    public static readonly IReadOnlyList<string> Tokens =
    [
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
        "origin", "origin-when-cross-origin", "no-referrer-when-downgrade", "unsafe-url",
    ];

    /// <summary>Tokens that never send a full URL across origins or over a downgrade.</summary>
    public static readonly IReadOnlyList<string> PrivateTokens = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];

    /// <summary>
    /// Parses a value as browsers do (Referrer Policy §8.1 "Parse a referrer policy from a Referrer-Policy header"):
    /// a comma-separated list in which unknown tokens are skipped and the last known token wins. Unknown and
    /// repeated tokens are reported as errors, because in configuration they are always mistakes.
    /// </summary>
    public static HeaderParseResult<ReferrerPolicyValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        var tokens = ImmutableArray.CreateBuilder<string>();
        foreach (var raw in value.Split(','))
        {
            var token = raw.Trim(' ', '\t');
            if (token.Length == 0)
            {
                continue;
            }

            var known = Tokens.FirstOrDefault(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                var guess = Internal.DidYouMean.Closest(token, Tokens);
                diagnostics.Add(new("referrer-policy-unknown-token", $"\"{token}\" is not a referrer policy; browsers skip it.",
                    guess is null ? "Use no-referrer or strict-origin-when-cross-origin." : $"Did you mean {guess}?"));
                continue;
            }

            if (tokens.Contains(known))
            {
                diagnostics.Add(new("referrer-policy-duplicate", $"{known} appears twice.", "List each policy once."));
                continue;
            }

            tokens.Add(known);
        }

        if (tokens.Count == 0)
        {
            return new(null, diagnostics.Count > 0 ? diagnostics.ToImmutable() :
                [new HeaderDiagnostic("referrer-policy-empty", "The value holds no referrer policy.", "Use no-referrer or strict-origin-when-cross-origin.")]);
        }

        return new(new ReferrerPolicyValue(tokens.ToImmutable()), diagnostics.ToImmutable());
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new StringHeaderDescription<ReferrerPolicyValue>(Name, "ReferrerPolicy", "What the Referer header tells other sites. A list is a fallback list: browsers use the last token they know.", "strict-origin-when-cross-origin", Parse, allowed: Tokens, listJoiner: ", ");
}
