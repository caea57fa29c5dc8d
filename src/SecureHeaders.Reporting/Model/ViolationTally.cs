namespace SecureHeaders.Reporting;

/// <summary>
/// How often one value (a page, a client pseudonym) was seen with a violation. Stores keep a bounded number per
/// violation (<see cref="MaxPerViolation"/>), enough to tell "one page" from "many pages" when judging evidence.
/// </summary>
/// <param name="Fingerprint">The violation's fingerprint.</param>
/// <param name="Value">The page URL (without query) or the client pseudonym.</param>
/// <param name="Count">Reports with that value.</param>
/// <param name="FirstSeen">First report with the value.</param>
/// <param name="LastSeen">Latest report with the value.</param>
public sealed record ViolationTally(string Fingerprint, string Value, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen)
{
    /// <summary>Distinct pages or clients kept per violation; a violation seen on more shows this many.</summary>
    public const int MaxPerViolation = 16;
}

/// <summary>The pages and clients behind some violations, as <see cref="Storage.IViolationStore.GetEvidenceAsync"/> returns them.</summary>
/// <param name="Documents">Distinct page URLs (without query) per violation.</param>
/// <param name="Clients">Distinct client pseudonyms per violation.</param>
public sealed record ViolationEvidence(IReadOnlyList<ViolationTally> Documents, IReadOnlyList<ViolationTally> Clients)
{
    /// <summary>No evidence.</summary>
    public static ViolationEvidence Empty { get; } = new([], []);
}
