namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// The evidence rules of learning, their ids (in <see cref="LearnedSource.Rule"/>) and thresholds. Every candidate
/// addition goes through them in this order; the first rule that rejects decides. The README lists them with examples.
/// </summary>
public static class LearningRules
{
    /// <summary>Kind of an addition that passed every rule.</summary>
    public const string Consistent = "consistent";

    /// <summary>Kind of an addition that a rule rejected but someone explicitly allowed (<see cref="LearningOptIn"/>).</summary>
    public const string OptedIn = "opted-in";

    /// <summary>Kind of a rejection that looks like an attack the policy blocked: shown as an incident.</summary>
    public const string LikelyInjection = "likely-injection";

    /// <summary>Kind of a rejection of a source browsers would ignore given the rest of the directive.</summary>
    public const string Ineffective = "ignored-by-browsers";

    /// <summary>Kind of a rejection that no source can fix (Trusted Types): the code has to change.</summary>
    public const string CodeChange = "code-change";

    /// <summary>Kind of a rejection because the addition would give the policy a new high finding in our CSP evaluator.</summary>
    public const string EvaluatorFinding = "evaluator-finding";

    /// <summary>Inline code (block, event handler or style attribute) whose complete sample hashes to an entry of the app's hash manifest: allowed by that hash.</summary>
    public const string InlineInManifest = "inline-in-manifest";

    /// <summary>A <c>javascript:</c> URL: only <c>'unsafe-inline'</c> would allow it, and injected links use it. Always rejected.</summary>
    public const string JavaScriptUrl = "javascript-url";

    /// <summary>A sample (inline code, eval'd string) that looks like an injection payload (<c>alert(</c>, <c>document.cookie</c>, markup…). Always rejected.</summary>
    public const string PayloadSample = "payload-sample";

    /// <summary>Inline code that is not in the app's hash manifest, or whose sample is missing or cut (so it cannot be checked). Always rejected: give the app's own inline code a nonce or hash it at build time.</summary>
    public const string InlineNotInSource = "inline-not-in-source";

    /// <summary>The directive is <c>'none'</c> in the app's policy (<c>object-src 'none'</c>, <c>base-uri 'none'</c>…): the app said nothing is allowed. Always rejected.</summary>
    public const string NoneWidened = "none-widened";

    /// <summary><c>data:</c> in a directive that runs script (script, worker, object): injected markup could run code from it. Always rejected.</summary>
    public const string DataInScript = "data-in-script";

    /// <summary>
    /// <c>form-action</c>, <c>base-uri</c>, <c>object-src</c> or <c>frame-ancestors</c> to another origin, reported from fewer than
    /// <see cref="MinPagesForNavigation"/> pages: where injected forms, base tags and plugins send users or data.
    /// </summary>
    public const string NavigationFewPages = "navigation-few-pages";

    /// <summary>
    /// A script-capable source (a script or worker host, <c>blob:</c>, <c>'self'</c> scripts) reported from a single page
    /// while the policy's reports come from several: one page loading a script nothing else loads is what an injected
    /// <c>&lt;script src&gt;</c> looks like.
    /// </summary>
    public const string ScriptSinglePage = "script-single-page";

    /// <summary>
    /// <c>'unsafe-eval'</c> (or <c>'wasm-unsafe-eval'</c>) reported from fewer than <see cref="MinEvalShare"/> of the policy's
    /// pages: a page that needs eval should get a policy of its own rather than widen the whole site.
    /// </summary>
    public const string EvalNotPolicyWide = "eval-not-policy-wide";

    /// <summary>
    /// A source reported by a single client while at least <see cref="DiverseClients"/> clients reported under the policy:
    /// a browser extension, one tampered browser, or forged reports.
    /// </summary>
    public const string SingleClient = "single-client";

    /// <summary>A host, scheme or <c>'self'</c> in a script directive with <c>'strict-dynamic'</c>, which browsers ignore (CSP3 §6.7.2.2, "strict-dynamic").</summary>
    public const string IgnoredUnderStrictDynamic = "ignored-under-strict-dynamic";

    /// <summary><c>'unsafe-inline'</c> in a directive with a nonce or hash, which browsers ignore (CSP3 §6.7.3.3).</summary>
    public const string IgnoredWithNonceOrHash = "ignored-with-nonce-or-hash";

    /// <summary>Trusted Types violations are fixed in code or in the <c>trusted-types</c> directive, not with a source.</summary>
    public const string TrustedTypes = "trusted-types";

    /// <summary>The addition would add a high finding of <see cref="SecureHeaders.Csp.Evaluation.CspEvaluator"/> that the app's policy does not have.</summary>
    public const string NewHighFinding = "new-high-finding";

    /// <summary>Passed every rule.</summary>
    public const string Allowed = "allowed";

    /// <summary>Pages a navigation target (<see cref="NavigationFewPages"/>) must be reported from. 3.</summary>
    public const int MinPagesForNavigation = 3;

    /// <summary>Clients under a policy from which on a single-client source is suspicious (<see cref="SingleClient"/>). 3.</summary>
    public const int DiverseClients = 3;

    /// <summary>Share of the policy's pages that must report eval (<see cref="EvalNotPolicyWide"/>). One half.</summary>
    public const double MinEvalShare = 0.5;
}
