namespace SecureHeaders.Csp.Evaluation;

/// <summary>
/// How serious a finding is. The names and their order are those of Google's CSP Evaluator (lower value = worse),
/// so that findings can be compared one to one; our own checks use the same scale.
/// </summary>
public enum CspFindingSeverity
{
    /// <summary>Directly exploitable: the policy does not stop script injection (<c>high</c>).</summary>
    High = 10,

    /// <summary>The policy text is malformed, so browsers read it differently from what was meant (<c>syntax</c>).</summary>
    Syntax = 20,

    /// <summary>A real weakness with limited reach (<c>medium</c>).</summary>
    Medium = 30,

    /// <summary>Possibly exploitable, depending on the site (<c>high-maybe</c>).</summary>
    HighMaybe = 40,

    /// <summary>Not what a strict CSP (nonces or hashes with <c>'strict-dynamic'</c>) should look like (<c>strict-csp</c>).</summary>
    StrictCsp = 45,

    /// <summary>Possibly a weakness, depending on what the allowed origins serve (<c>medium-maybe</c>).</summary>
    MediumMaybe = 50,

    /// <summary>Worth knowing (<c>info</c>).</summary>
    Info = 60,

    /// <summary>A note with no security meaning, such as a source ignored because of a nonce (<c>none</c>).</summary>
    None = 100,
}

/// <summary>One result of <see cref="CspEvaluator"/>.</summary>
/// <param name="Check">
/// What was found, in kebab-case. For the checks of Google's CSP Evaluator 1.1.8 this is its finding type
/// (<c>script-unsafe-inline</c>, <c>missing-directives</c>…); our own checks have names of their own. See
/// <see cref="CspChecks"/>.
/// </param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Directive">The directive it is about (for a missing directive: the one that is missing).</param>
/// <param name="Value">The source or value it is about, if any, as the policy spells it (keywords and schemes lower-cased).</param>
/// <param name="Message">What is wrong, in one or two sentences.</param>
/// <param name="Fix">What to change, when there is a clear change.</param>
public sealed record CspFinding(string Check, CspFindingSeverity Severity, string Directive, string? Value, string Message, string? Fix = null)
{
    /// <summary>True when <see cref="Check"/> is one of the CSP Evaluator's finding types rather than one of ours.</summary>
    public bool IsEvaluatorCheck => CspChecks.IsEvaluatorCheck(Check);

    /// <summary>The severity's kebab-case name as used in JSON (<c>high</c>, <c>medium-maybe</c>, <c>strict-csp</c>…).</summary>
    public string SeverityName => CspChecks.SeverityName(Severity);

    /// <summary>A one-line rendering for logs.</summary>
    public override string ToString() =>
        $"[{SeverityName}] {Check} {Directive}{(Value is null ? string.Empty : " " + Value)}: {Message}{(Fix is null ? string.Empty : " Fix: " + Fix)}";
}
