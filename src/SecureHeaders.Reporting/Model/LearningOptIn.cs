namespace SecureHeaders.Reporting;

/// <summary>
/// An explicit decision to add a source that learning rejected as a likely injection. Recorded in the store (the
/// log of who allowed what and why); suggestions for <see cref="Policy"/> then add it, marked as opted in.
/// </summary>
/// <param name="Policy">The policy name.</param>
/// <param name="Directive">The directive, as the suggestion named it.</param>
/// <param name="Source">The source expression, as the suggestion named it.</param>
/// <param name="Reason">Why it is legitimate (required: it is the audit trail).</param>
/// <param name="By">Who decided (a user name, or the CLI's OS user).</param>
/// <param name="At">When.</param>
public sealed record LearningOptIn(string Policy, string Directive, string Source, string Reason, string By, DateTimeOffset At);
