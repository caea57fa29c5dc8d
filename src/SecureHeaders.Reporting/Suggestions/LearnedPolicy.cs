using System.Text.Json.Serialization;

namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// One candidate addition to a policy with its evidence and the decision about it: in <see cref="LearnedPolicy.Added"/>
/// when it is consistent with the app, in <see cref="LearnedPolicy.Rejected"/> otherwise.
/// </summary>
/// <param name="Directive">The directive to change (the one the browser consulted, or a new specific one instead of <c>default-src</c>).</param>
/// <param name="Source">The source expression: an origin, a scheme, a keyword or a hash.</param>
/// <param name="Rule">The evidence rule that decided (see <see cref="LearningRules"/>).</param>
/// <param name="Reason">Why, in words, with the numbers behind it.</param>
/// <param name="Count">Reports behind it.</param>
/// <param name="Documents">Distinct pages (URLs without query) it was reported from.</param>
/// <param name="Clients">Distinct clients (pseudonyms) that reported it.</param>
/// <param name="FirstSeen">First report.</param>
/// <param name="LastSeen">Latest report.</param>
/// <param name="Pages">Up to five of those pages.</param>
/// <param name="Samples">Up to three code samples (for inline code and eval).</param>
/// <param name="Kind">For rejections: <see cref="LearningRules.LikelyInjection"/>, <see cref="LearningRules.Ineffective"/>, <see cref="LearningRules.CodeChange"/> or <see cref="LearningRules.EvaluatorFinding"/>; for additions <see cref="LearningRules.Consistent"/> or <see cref="LearningRules.OptedIn"/>.</param>
public sealed record LearnedSource(
    string Directive,
    string Source,
    string Rule,
    string Reason,
    long Count,
    int Documents,
    int Clients,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyList<string> Pages,
    IReadOnlyList<string> Samples,
    string Kind)
{
    /// <summary>True for a rejection that looks like an attack: a blocked injection worth seeing as an incident, never offered for copying.</summary>
    [JsonPropertyName("incident")]
    public bool IsIncident => Kind == LearningRules.LikelyInjection;
}

/// <summary>
/// The learned version of one of the app's own policies: its compiled CSP (with <c>'nonce'</c> placeholders) plus the
/// allowed additions, and the rejected ones with their evidence.
/// </summary>
/// <param name="Policy">The SecureHeaders policy name.</param>
/// <param name="Disposition"><c>report</c> when the base is the Report-Only candidate, <c>enforce</c> for the enforced CSP.</param>
/// <param name="Session">The learning session the reports came from, or <see langword="null"/> for every stored report.</param>
/// <param name="BasePolicy">The app's own compiled policy the suggestion starts from (never report content).</param>
/// <param name="Csp">The whole proposed policy, with <c>'nonce'</c> placeholders: the plain header value.</param>
/// <param name="Added">Additions consistent with the app, in <see cref="Csp"/>.</param>
/// <param name="Rejected">Additions not made, with the reason and evidence.</param>
/// <param name="ReportsConsidered">Reports behind the candidates (noise excluded).</param>
/// <param name="Pages">Distinct pages that reported under this policy in the window.</param>
/// <param name="Clients">Distinct clients that reported under this policy in the window.</param>
/// <param name="Notes">What to do besides pasting the policy (nonces to add, code to change).</param>
public sealed record LearnedPolicy(
    string Policy,
    string Disposition,
    LearningSession? Session,
    string BasePolicy,
    string Csp,
    IReadOnlyList<LearnedSource> Added,
    IReadOnlyList<LearnedSource> Rejected,
    long ReportsConsidered,
    int Pages,
    int Clients,
    IReadOnlyList<string> Notes)
{
    /// <summary>The proposed policy as an <c>appsettings.json</c> fragment (indented JSON).</summary>
    [JsonPropertyName("appsettings")]
    public string AppSettingsJson => PolicyOutput.AppSettings(this);

    /// <summary>The proposed policy as C# for <c>Program.cs</c>.</summary>
    [JsonPropertyName("csharp")]
    public string CSharp => PolicyOutput.CSharp(this);

    /// <summary>Hashes that the app's manifest adds at startup, left out of <see cref="AppSettingsJson"/> and <see cref="CSharp"/>.</summary>
    [JsonIgnore]
    internal IReadOnlyCollection<string> ManifestHashes { get; init; } = [];
}

/// <summary>The result of learning: one <see cref="LearnedPolicy"/> per policy in scope.</summary>
/// <param name="Policies">The learned policies, by name.</param>
/// <param name="Session">The session used, or <see langword="null"/> when every report was used.</param>
/// <param name="UnattributedReports">CSP reports in the window that no policy of the app could be credited with (unknown policy name, page on a foreign origin, or recorded before attribution); never counted.</param>
public sealed record LearningResult(IReadOnlyList<LearnedPolicy> Policies, LearningSession? Session, long UnattributedReports);
