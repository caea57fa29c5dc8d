namespace SecureHeaders.Reporting;

/// <summary>
/// One distinct code sample seen for a violation (CSP3 §5.3 <c>sample</c>: the first 40 characters of blocked inline
/// code). A store keeps a handful per violation so that each inline script can get its own hash suggestion.
/// </summary>
/// <param name="Fingerprint">The violation's fingerprint.</param>
/// <param name="Sample">The sample text.</param>
/// <param name="Count">Reports that carried this sample.</param>
/// <param name="FirstSeen">First report with the sample.</param>
/// <param name="LastSeen">Latest report with the sample.</param>
public sealed record ViolationSample(string Fingerprint, string Sample, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);
