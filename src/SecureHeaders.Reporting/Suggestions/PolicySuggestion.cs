namespace SecureHeaders.Reporting.Suggestions;

/// <summary>The smallest policy change that would have allowed every stored, non-noise CSP violation.</summary>
/// <param name="Directives">One entry per directive to change, in the order they appear in the policy.</param>
/// <param name="BasePolicy">The policy the reports were made against (the newest <c>original-policy</c> seen), when known.</param>
/// <param name="ProposedPolicy"><see cref="BasePolicy"/> with the changes applied, when the base policy is known.</param>
/// <param name="ReportsConsidered">Reports behind the suggestion (sum of the counts used).</param>
public sealed record PolicySuggestion(
    IReadOnlyList<DirectiveSuggestion> Directives,
    string? BasePolicy,
    string? ProposedPolicy,
    long ReportsConsidered);

/// <summary>Sources to add to one directive.</summary>
/// <param name="Directive">The directive to change (the one the browser fell back to, or a new one).</param>
/// <param name="Add">Source expressions to add: origins, schemes (<c>data:</c>), keywords and <c>'sha256-…'</c> hashes.</param>
/// <param name="CreatesDirective">
/// <see langword="true"/> when the policy lacks the directive and the browser fell back to <c>default-src</c>; the new
/// directive starts from <c>default-src</c>'s sources so that nothing else changes.
/// </param>
/// <param name="Reports">Reports this directive's change accounts for.</param>
/// <param name="Notes">What to check before applying the change (unsafe keywords, truncated samples…).</param>
public sealed record DirectiveSuggestion(
    string Directive,
    IReadOnlyList<string> Add,
    bool CreatesDirective,
    long Reports,
    IReadOnlyList<string> Notes);
