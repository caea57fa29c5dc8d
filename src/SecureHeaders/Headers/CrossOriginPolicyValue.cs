using System.Collections.Immutable;
using SecureHeaders.Headers.StructuredFields;

namespace SecureHeaders.Headers;

/// <summary>
/// A parsed <c>Cross-Origin-Opener-Policy</c> or <c>Cross-Origin-Embedder-Policy</c> value: a structured-field
/// token with an optional <c>report-to</c> parameter (HTML §7.1.3.1 and §7.1.4.1).
/// </summary>
/// <param name="Policy">The policy token, e.g. <c>same-origin</c>.</param>
/// <param name="ReportTo">The reporting endpoint name, if any.</param>
public sealed record CrossOriginPolicyValue(string Policy, string? ReportTo)
{
    /// <summary>Serializes as a structured-field item.</summary>
    public override string ToString() =>
        ReportTo is null ? Policy : SfSerializer.SerializeItem(new SfItem(SfBareItem.Token(Policy), [new("report-to", SfBareItem.String(ReportTo))]));

    internal static HeaderParseResult<CrossOriginPolicyValue> Parse(string value, string header, string code, IReadOnlyList<string> policies)
    {
        var item = SfParser.ParseItem(value);
        if (!item.Success)
        {
            return HeaderParseResult<CrossOriginPolicyValue>.Invalid(code + "-syntax", $"{header} is not a structured-field token: {item.Error}", "Allowed: " + string.Join(", ", policies) + ".");
        }

        var token = item.Value!.Value.AsString;
        if (item.Value.Value.Kind != SfKind.Token || !policies.Contains(token))
        {
            var guess = token is null ? null : Internal.DidYouMean.Closest(token, policies);
            return HeaderParseResult<CrossOriginPolicyValue>.Invalid(code + "-invalid", $"\"{value}\" is not a valid {header} value; browsers ignore it.",
                (guess is not null ? $"Did you mean {guess}? " : string.Empty) + "Allowed: " + string.Join(", ", policies) + ".");
        }

        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        string? reportTo = null;
        foreach (var (key, parameter) in item.Value.Parameters)
        {
            if (key == "report-to" && parameter.Kind == SfKind.String)
            {
                reportTo = parameter.AsString;
            }
            else
            {
                diagnostics.Add(new(code + "-parameter", $"The parameter {key} is not understood; only report-to=\"endpoint\" is.", "Remove it.", IsError: key == "report-to"));
            }
        }

        return new(new CrossOriginPolicyValue(token!, reportTo), diagnostics.ToImmutable());
    }
}
