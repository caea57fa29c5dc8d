using System.Collections.Immutable;

namespace SecureHeaders.Csp.Evaluation;

/// <summary>
/// Finds weaknesses in a content security policy. It runs every check of Google's CSP Evaluator 1.1.8 with the
/// same semantics and finding names (its default and strict sets and its reporting check), and checks of our
/// own under names of our own (see <see cref="CspChecks"/>).
/// </summary>
/// <remarks>
/// <para>
/// Like the Evaluator, the default and reporting checks look at the <em>effective</em> policy for CSP Level 3
/// browsers (CSP3 §8.2, §8.3): a nonce or hash switches off <c>'unsafe-inline'</c>, and <c>'strict-dynamic'</c>
/// switches off hosts, schemes, <c>'self'</c> and <c>'unsafe-inline'</c> in the script directive they apply
/// to; the strict checks look at the policy as written. The notes about switched-off sources (check
/// <c>ignored</c>, severity <c>none</c>) are only returned with <see cref="CspCheckSets.IgnoredNotes"/>.
/// </para>
/// <para>
/// Where the Evaluator's view of CSP is older than today's specifications, its checks keep its semantics so that
/// results stay comparable, and the message says what browsers do: <c>fenced-frame-src</c> is an
/// <c>unknown-directive</c> to it, <c>'report-sha256'</c> an <c>invalid-keyword</c>. Our parser drops
/// directives with non-ASCII characters, as browsers do (CSP3 §2.2.1), and the Evaluator does not.
/// </para>
/// </remarks>
public static class CspEvaluator
{
    private static readonly string[] s_scriptDirectives = ["script-src", "script-src-attr", "script-src-elem"];
    private static readonly string[] s_xssDirectives = ["script-src", "script-src-attr", "script-src-elem", "object-src", "base-uri"];
    private static readonly string[] s_xssSchemes = ["data:", "http:", "https:"];

    /// <summary>Evaluates a serialized policy. Problems the parser finds in the text are reported as our own findings.</summary>
    /// <param name="serializedPolicy">One policy, as in a <c>Content-Security-Policy</c> header (commas are not split).</param>
    /// <param name="options">Which checks to run; <see langword="null"/> for <see cref="CspEvaluationOptions.Default"/>.</param>
    public static IReadOnlyList<CspFinding> Evaluate(string serializedPolicy, CspEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serializedPolicy);
        options ??= CspEvaluationOptions.Default;
        var parsed = CspParser.Parse(serializedPolicy, options.ConfiguredPolicy ? CspParseMode.Configuration : CspParseMode.Header);
        return Evaluate(parsed.Policy, options, parsed.Diagnostics);
    }

    /// <summary>Evaluates a policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="options">Which checks to run; <see langword="null"/> for <see cref="CspEvaluationOptions.Default"/>.</param>
    public static IReadOnlyList<CspFinding> Evaluate(CspPolicy policy, CspEvaluationOptions? options = null) =>
        Evaluate(policy, options ?? CspEvaluationOptions.Default, []);

    /// <summary>The worst severity among findings (the lowest value), ignoring <see cref="CspFindingSeverity.None"/>; <see cref="CspFindingSeverity.None"/> when there are none.</summary>
    public static CspFindingSeverity HighestSeverity(IEnumerable<CspFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var worst = CspFindingSeverity.None;
        foreach (var finding in findings)
        {
            if (finding.Severity < worst)
            {
                worst = finding.Severity;
            }
        }

        return worst;
    }

    private static List<CspFinding> Evaluate(CspPolicy policy, CspEvaluationOptions options, ImmutableArray<CspDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var checks = options.Checks;
        var parsed = EvaluatorPolicyView.From(policy, options.ConfiguredPolicy);
        var ignored = new List<CspFinding>();
        var effective = EffectivePolicy(parsed, options.CspVersion, ignored);
        var findings = new List<CspFinding>();
        if (checks.HasFlag(CspCheckSets.IgnoredNotes))
        {
            findings.AddRange(ignored);
        }

        // The Evaluator runs the checks on the policy as written first, then the default set on the effective policy.
        if (checks.HasFlag(CspCheckSets.EvaluatorStrict))
        {
            StrictChecks(parsed, findings);
        }

        if (checks.HasFlag(CspCheckSets.EvaluatorReporting))
        {
            ReportingCheck(parsed, findings);
        }

        if (checks.HasFlag(CspCheckSets.EvaluatorDefault))
        {
            DefaultChecks(effective, findings);
        }

        if (checks.HasFlag(CspCheckSets.Own))
        {
            OwnChecks.Run(policy, parsed, options, diagnostics, findings);
        }

        return findings;
    }

    /// <summary>The policy a browser of <paramref name="version"/> enforces for scripts (CSP3 §8.2 and §8.3 applied as the Evaluator does).</summary>
    internal static EvaluatorPolicyView EffectivePolicy(EvaluatorPolicyView parsed, int version, List<CspFinding> notes)
    {
        var effective = parsed.Clone();
        foreach (var name in s_scriptDirectives)
        {
            var directive = effective.EffectiveDirective(name);
            var written = parsed.Values(directive);
            var values = effective.Get(directive);
            if (values is null)
            {
                continue;
            }

            if (effective.HasStrictNonce(directive) || effective.HasStrictHash(directive))
            {
                if (version >= 2)
                {
                    if (written.Contains("'unsafe-inline'"))
                    {
                        values.Remove("'unsafe-inline'");
                        notes.Add(new(CspChecks.Ignored, CspFindingSeverity.None, directive, "'unsafe-inline'",
                            "'unsafe-inline' is ignored by browsers that support nonces and hashes (CSP2 and later); it is only a fallback for older ones."));
                    }
                }
                else
                {
                    values.RemoveAll(static v => v.StartsWith("'nonce-", StringComparison.Ordinal) || v.StartsWith("'sha", StringComparison.Ordinal));
                }
            }

            if (parsed.HasStrictDynamic(directive))
            {
                if (version >= 3)
                {
                    foreach (var value in written)
                    {
                        if (IgnoredByStrictDynamic(value))
                        {
                            notes.Add(new(CspChecks.Ignored, CspFindingSeverity.None, directive, value,
                                $"{value} is ignored by browsers that support 'strict-dynamic' (CSP3); only nonces, hashes and scripts they load are trusted."));
                        }
                    }

                    // One pass, not one List.Remove per value: policies can list hundreds of thousands of hosts.
                    values.RemoveAll(IgnoredByStrictDynamic);
                }
                else
                {
                    values.Remove("'strict-dynamic'");
                }
            }
        }

        if (version < 3)
        {
            foreach (var name in new[] { "report-to", "worker-src", "manifest-src", "trusted-types", "require-trusted-types-for", "script-src-attr", "script-src-elem", "style-src-attr", "style-src-elem" })
            {
                effective.Remove(name);
            }
        }

        return effective;
    }

    private static bool IgnoredByStrictDynamic(string value) => !value.StartsWith('\'') || value is "'self'" or "'unsafe-inline'";

    private static void DefaultChecks(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        ScriptUnsafeInline(csp, findings);
        ScriptUnsafeEval(csp, findings);
        PlainUrlSchemes(csp, findings);
        Wildcards(csp, findings);
        MissingDirectives(csp, findings);
        ScriptAllowlistBypass(csp, findings);
        ObjectAllowlistBypass(csp, findings);
        IpSources(csp, findings);
        NonceLength(csp, findings);
        SrcHttp(csp, findings);
        DeprecatedDirectives(csp, findings);
        UnknownDirectives(csp, findings);
        MissingSemicolons(csp, findings);
        InvalidKeywords(csp, findings);
    }

    private static void ScriptUnsafeInline(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var directive in csp.EffectiveDirectives(s_scriptDirectives))
        {
            var values = csp.Values(directive);
            if (values.Contains("'unsafe-inline'"))
            {
                findings.Add(new(CspChecks.ScriptUnsafeInline, CspFindingSeverity.High, directive, "'unsafe-inline'",
                    "'unsafe-inline' lets any script or event handler injected into the page run, which defeats the policy's protection against XSS.",
                    "Put a per-response nonce (or hashes) and 'strict-dynamic' into script-src; browsers then ignore 'unsafe-inline', which may stay as a fallback for very old ones."));
            }

            if (values.Contains("'unsafe-hashes'"))
            {
                findings.Add(new(CspChecks.ScriptUnsafeHashes, CspFindingSeverity.MediumMaybe, directive, "'unsafe-hashes'",
                    "'unsafe-hashes' lets inline event handlers and javascript: URLs run when their hash is listed; an attacker can reuse any listed handler.",
                    "Move event handlers into script files (addEventListener) and remove 'unsafe-hashes'."));
            }
        }
    }

    private static void ScriptUnsafeEval(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var directive in csp.EffectiveDirectives(s_scriptDirectives))
        {
            if (csp.Values(directive).Contains("'unsafe-eval'"))
            {
                findings.Add(new(CspChecks.ScriptUnsafeEval, CspFindingSeverity.MediumMaybe, directive, "'unsafe-eval'",
                    "'unsafe-eval' lets strings become code through eval(), new Function() and string timers, so injected data may execute.",
                    "Remove 'unsafe-eval'; for WebAssembly (e.g. Blazor WebAssembly) 'wasm-unsafe-eval' is enough."));
            }
        }
    }

    private static void PlainUrlSchemes(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var directive in csp.EffectiveDirectives(s_xssDirectives))
        {
            foreach (var value in csp.Values(directive))
            {
                if (s_xssSchemes.Contains(value))
                {
                    findings.Add(new(CspChecks.PlainUrlSchemes, CspFindingSeverity.High, directive, value,
                        $"{value} in {directive} allows content from any {(value == "data:" ? "data: URL" : "host over " + value.TrimEnd(':'))}, so an attacker can supply the script.",
                        value == "data:" ? $"Remove data: from {directive}." : $"Replace {value} with the specific hosts you need, or with a nonce and 'strict-dynamic' (then {value} is only a fallback)."));
                }
            }
        }
    }

    private static void Wildcards(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var directive in csp.EffectiveDirectives(s_xssDirectives))
        {
            foreach (var value in csp.Values(directive))
            {
                if (SourceUrl.WithoutScheme(value) == "*")
                {
                    findings.Add(new(CspChecks.PlainWildcard, CspFindingSeverity.High, directive, value,
                        $"{value} in {directive} allows content from any host, so an attacker can supply the script.",
                        $"Replace {value} with 'none', 'self' or the specific hosts you need."));
                }
            }
        }
    }

    private static void MissingDirectives(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        var objectRestrictions = csp.Get("object-src") ?? csp.Get("default-src");
        if (objectRestrictions is not { Count: > 0 })
        {
            findings.Add(new(CspChecks.MissingDirectives, CspFindingSeverity.High, "object-src", null,
                "Without object-src (or default-src), <object> and <embed> may load plugins and other documents that run script.",
                "Add object-src 'none'."));
        }

        if (!csp.Has("script-src") && !csp.Has("default-src"))
        {
            findings.Add(new(CspChecks.MissingDirectives, CspFindingSeverity.High, "script-src", null,
                "Without script-src (or default-src) the policy allows scripts from anywhere, including inline ones.",
                "Add script-src with a per-response nonce and 'strict-dynamic', or at least default-src 'self'."));
        }

        var needsBaseUri = csp.HasStrictNonce() || (csp.HasStrictHash() && csp.HasStrictDynamic());
        if (needsBaseUri && !csp.Has("base-uri"))
        {
            findings.Add(new(CspChecks.MissingDirectives, CspFindingSeverity.High, "base-uri", null,
                "Without base-uri an injected <base href> makes relative script URLs load from the attacker's host, and nonced scripts then run the attacker's code.",
                "Add base-uri 'none' (or 'self' if the page uses <base>)."));
        }
    }

    private static void ScriptAllowlistBypass(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        var lists = AllowlistBypasses.Instance;
        foreach (var directive in csp.EffectiveDirectives("script-src", "script-src-elem"))
        {
            var values = csp.Values(directive);
            if (values.Contains("'none'"))
            {
                continue;
            }

            var unsafeEval = values.Contains("'unsafe-eval'");
            foreach (var value in values)
            {
                if (value == "'self'")
                {
                    findings.Add(new(CspChecks.ScriptAllowlistBypass, CspFindingSeverity.MediumMaybe, directive, value,
                        "'self' trusts every script URL on this origin; JSONP endpoints, AngularJS copies or user uploads served here let an attacker run script.",
                        "Use a nonce or hashes with 'strict-dynamic' instead of 'self', or make sure the origin serves none of those."));
                    continue;
                }

                if (value.StartsWith('\'') || EvaluatorPolicyView.IsUrlScheme(value) || !value.Contains('.', StringComparison.Ordinal))
                {
                    continue;
                }

                var angular = AllowlistBypasses.FirstMatch(value, lists.Angular);
                var jsonp = AllowlistBypasses.FirstMatch(value, lists.Jsonp);
                if (jsonp is { } hit && lists.JsonpNeedsEval.Contains(hit.Host) && !unsafeEval)
                {
                    jsonp = null;
                }

                if (jsonp is not null || angular is not null)
                {
                    var host = (angular ?? jsonp)!.Value.Host;
                    var what = (jsonp, angular) switch
                    {
                        (not null, not null) => "JSONP endpoints and AngularJS libraries",
                        (not null, _) => "JSONP endpoints",
                        _ => "AngularJS libraries",
                    };
                    findings.Add(new(CspChecks.ScriptAllowlistBypass, CspFindingSeverity.High, directive, value,
                        $"{host} is known to serve {what} that an attacker can load to run script despite this policy.",
                        $"Remove {value} from {directive}; load what you need with a nonce and 'strict-dynamic', or allow only the exact file path."));
                }
                else
                {
                    findings.Add(new(CspChecks.ScriptAllowlistBypass, CspFindingSeverity.MediumMaybe, directive, value,
                        $"{value} is not on the known bypass lists, but any JSONP endpoint or AngularJS copy it serves would let an attacker run script.",
                        "Prefer a nonce with 'strict-dynamic'; otherwise allow exact file paths rather than whole hosts."));
                }
            }
        }
    }

    private static void ObjectAllowlistBypass(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        var directive = csp.EffectiveDirective("object-src");
        var values = csp.Values(directive);
        if (csp.Get("plugin-types") is { } pluginTypes && !pluginTypes.Contains("application/x-shockwave-flash"))
        {
            return;
        }

        var found = new List<CspFinding>();
        foreach (var value in values)
        {
            if (value == "'none'")
            {
                return;
            }

            if (AllowlistBypasses.FirstMatch(value, AllowlistBypasses.Instance.Flash) is { } flash)
            {
                found.Add(new(CspChecks.ObjectAllowlistBypass, CspFindingSeverity.High, directive, value,
                    $"{flash.Host} is known to serve Flash files that let an attacker run script despite this policy.",
                    "Set object-src 'none'."));
            }
            else if (directive == "object-src")
            {
                found.Add(new(CspChecks.ObjectAllowlistBypass, CspFindingSeverity.MediumMaybe, directive, value,
                    $"object-src allows {value}; plugins and embedded documents are rarely needed and can run script.",
                    "Set object-src 'none' unless you embed objects on purpose."));
            }
        }

        findings.AddRange(found);
    }

    private static void IpSources(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var (directive, values) in csp.Directives)
        {
            foreach (var value in values)
            {
                if (SourceUrl.TryParse(value) is { HostIsIpAddress: true } url)
                {
                    findings.Add(url.Host == "127.0.0.1"
                        ? new(CspChecks.IpSource, CspFindingSeverity.Info, directive, value,
                            $"{directive} allows the loopback address {value}, which only makes sense during development.",
                            $"Remove {value} from the production policy.")
                        : new(CspChecks.IpSource, CspFindingSeverity.Info, directive, value,
                            $"{directive} allows the IP address {url.Host}; it only matches URLs that use the address itself, never a host name that resolves to it.",
                            "Use the host name the resources are served from."));
                }
            }
        }
    }

    private static void NonceLength(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var (directive, values) in csp.Directives)
        {
            foreach (var value in values)
            {
                if (value.Length < 9 || !value.StartsWith("'nonce-", StringComparison.Ordinal) || value[^1] != '\'')
                {
                    continue;
                }

                if (value.Length - 8 < 8)
                {
                    findings.Add(new(CspChecks.NonceLength, CspFindingSeverity.Medium, directive, value,
                        "The nonce is shorter than 8 characters, so it can be guessed.",
                        "Use at least 16 random bytes from a CSPRNG, base64-encoded (22+ characters), new for every response."));
                }

                if (!EvaluatorPolicyView.IsStrictNonce(value))
                {
                    findings.Add(new(CspChecks.NonceCharset, CspFindingSeverity.Info, directive, value,
                        "The nonce uses characters outside base64 and base64url, so browsers do not accept it as a nonce.",
                        "Encode the random bytes with base64 or base64url."));
                }
            }
        }
    }

    private static void SrcHttp(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var (directive, values) in csp.Directives)
        {
            foreach (var value in values)
            {
                if (value.StartsWith("http://", StringComparison.Ordinal))
                {
                    findings.Add(directive == "report-uri"
                        ? new(CspChecks.SrcHttp, CspFindingSeverity.Medium, directive, value,
                            "Violation reports go over plain HTTP, where anyone on the path can read or drop them.",
                            "Send reports to an https:// URL.")
                        : new(CspChecks.SrcHttp, CspFindingSeverity.Medium, directive, value,
                            $"{value} is loaded over plain HTTP, where anyone on the path can replace it.",
                            "Use https:// for every source."));
                }
            }
        }
    }

    private static void DeprecatedDirectives(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        (string Name, string Message, string Fix)[] deprecated =
        [
            ("reflected-xss", "reflected-xss was dropped after CSP Level 1 and browsers ignore it.", "Remove it; the XSS auditors it controlled are gone too (send X-XSS-Protection: 0)."),
            ("referrer", "referrer was dropped after CSP Level 1 and browsers ignore it.", "Remove it and send a Referrer-Policy header."),
            ("disown-opener", "disown-opener never shipped and was dropped from CSP3.", "Remove it and send Cross-Origin-Opener-Policy: same-origin."),
            ("prefetch-src", "prefetch-src is deprecated in CSP3 and only Safari supports it.", "Remove it; prefetches are governed by the directive of what they fetch."),
        ];
        foreach (var (name, message, fix) in deprecated)
        {
            if (csp.Has(name))
            {
                findings.Add(new(CspChecks.DeprecatedDirective, CspFindingSeverity.Info, name, null, message, fix));
            }
        }
    }

    private static void UnknownDirectives(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var (name, _) in csp.Directives)
        {
            if (EvaluatorPolicyView.KnownDirectives.Contains(name))
            {
                continue;
            }

            if (name.EndsWith(':'))
            {
                findings.Add(new(CspChecks.UnknownDirective, CspFindingSeverity.Syntax, name, null,
                    $"\"{name}\" ends with a colon; directive names have none, so browsers ignore the directive.",
                    $"Write {name.TrimEnd(':')} followed by its values, without the colon."));
            }
            else if (CspDirectives.Find(name) is { } known)
            {
                // Newer than the CSP Evaluator's list (fenced-frame-src): same finding, honest text.
                var support = known.Support;
                findings.Add(new(CspChecks.UnknownDirective, CspFindingSeverity.Syntax, name, null,
                    $"{name} is newer than the CSP Evaluator's directive list{(known.IsExperimental ? " and experimental" : string.Empty)}; browsers without support ignore it{(support is null ? "." : " (" + support.Describe() + ").")}",
                    "Keep it only if the browsers that ignore it are covered by another directive."));
            }
            else
            {
                var suggestion = CspDirectives.SuggestFor(name);
                findings.Add(new(CspChecks.UnknownDirective, CspFindingSeverity.Syntax, name, null,
                    $"{name} is not a CSP directive; browsers ignore it.",
                    suggestion is null ? "Check the spelling against CSP Level 3." : $"Did you mean {suggestion}?"));
            }
        }
    }

    private static void MissingSemicolons(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var (directive, values) in csp.Directives)
        {
            foreach (var value in values)
            {
                if (EvaluatorPolicyView.KnownDirectives.Contains(value))
                {
                    findings.Add(new(CspChecks.MissingSemicolon, CspFindingSeverity.Syntax, directive, value,
                        $"\"{value}\" is a directive name inside {directive}; a ';' is probably missing, so {value} and its values are read as sources of {directive}.",
                        $"Insert '; ' before {value}."));
                }
            }
        }
    }

    private static void InvalidKeywords(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        foreach (var (directive, values) in csp.Directives)
        {
            foreach (var value in values)
            {
                if (EvaluatorPolicyView.Keywords.Any(k => k.AsSpan(1, k.Length - 2).SequenceEqual(value))
                    || value.StartsWith("nonce-", StringComparison.Ordinal)
                    || value.StartsWith("sha256-", StringComparison.Ordinal) || value.StartsWith("sha384-", StringComparison.Ordinal) || value.StartsWith("sha512-", StringComparison.Ordinal))
                {
                    findings.Add(new(CspChecks.InvalidKeyword, CspFindingSeverity.Syntax, directive, value,
                        $"{value} is missing its single quotes, so browsers read it as a host name.",
                        $"Write '{value}'."));
                    continue;
                }

                if (!value.StartsWith('\''))
                {
                    continue;
                }

                var valid = directive switch
                {
                    "require-trusted-types-for" => value == "'script'",
                    "trusted-types" => value is "'allow-duplicates'" or "'none'",
                    _ => EvaluatorPolicyView.Keywords.Contains(value) || EvaluatorPolicyView.IsStrictHash(value) || EvaluatorPolicyView.IsStrictNonce(value),
                };
                if (!valid)
                {
                    findings.Add(new(CspChecks.InvalidKeyword, CspFindingSeverity.Syntax, directive, value, InvalidKeywordMessage(directive, value), InvalidKeywordFix(directive, value)));
                }
            }
        }
    }

    private static string InvalidKeywordMessage(string directive, string value)
    {
        if (value == CspSource.NoncePlaceholderText)
        {
            return "'nonce' is the SecureHeaders placeholder; it must be replaced by 'nonce-<value>' before the policy is sent.";
        }

        var lower = value.ToLowerInvariant();
        if (CspSource.KnownKeywords.Contains(lower))
        {
            return $"{value} is a CSP3 keyword newer than the CSP Evaluator's list{(directive.StartsWith("trusted-types", StringComparison.Ordinal) || directive == "require-trusted-types-for" ? string.Empty : "; browsers that do not know it ignore it")}.";
        }

        return $"{value} in {directive} is not a keyword, nonce or hash that browsers understand, so they ignore it.";
    }

    private static string? InvalidKeywordFix(string directive, string value)
    {
        if (directive == "require-trusted-types-for")
        {
            return "The only value is 'script'.";
        }

        if (directive == "trusted-types")
        {
            return "Policy names go without quotes; the quoted values are 'none' and 'allow-duplicates'.";
        }

        var guess = Internal.DidYouMean.Closest(value, EvaluatorPolicyView.Keywords);
        return guess is not null && !string.Equals(guess, value, StringComparison.OrdinalIgnoreCase) ? $"Did you mean {guess}?" : null;
    }

    private static void StrictChecks(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        var directive = csp.EffectiveDirective("script-src");
        var values = csp.Values(directive);
        var hasStrictDynamic = values.Contains("'strict-dynamic'");
        if (values.Any(static v => !v.StartsWith('\'')) && !hasStrictDynamic)
        {
            findings.Add(new(CspChecks.StrictDynamic, CspFindingSeverity.StrictCsp, directive, null,
                "The script allow-list names hosts or schemes; such lists are often bypassable (JSONP, old libraries, open redirects).",
                "Use a nonce or hashes together with 'strict-dynamic'; keep the hosts only as a fallback for old browsers."));
        }

        if (hasStrictDynamic && !csp.HasStrictNonce() && !csp.HasStrictHash())
        {
            findings.Add(new(CspChecks.StrictDynamicNotStandalone, CspFindingSeverity.Info, directive, null,
                "'strict-dynamic' without a nonce or hash trusts no script at all: every script is blocked.",
                "Add a per-response nonce (or the hashes of your inline scripts) next to 'strict-dynamic'."));
        }

        if ((csp.HasStrictNonce() || csp.HasStrictHash()) && !values.Contains("'unsafe-inline'"))
        {
            findings.Add(new(CspChecks.UnsafeInlineFallback, CspFindingSeverity.StrictCsp, directive, null,
                "Browsers without nonce/hash support (CSP1) block all inline scripts under this policy.",
                "Add 'unsafe-inline' as a fallback; browsers that understand nonces or hashes ignore it."));
        }

        if (hasStrictDynamic && !values.Any(static v => v is "http:" or "https:" or "*" || v.Contains('.', StringComparison.Ordinal)))
        {
            findings.Add(new(CspChecks.AllowlistFallback, CspFindingSeverity.StrictCsp, directive, null,
                "Browsers without 'strict-dynamic' (CSP2) block scripts loaded by your trusted scripts under this policy.",
                "Add https: as a fallback; browsers that understand 'strict-dynamic' ignore it."));
        }

        if (!csp.Values(csp.EffectiveDirective("require-trusted-types-for")).Contains("'script'"))
        {
            findings.Add(new(CspChecks.RequireTrustedTypesForScripts, CspFindingSeverity.Info, "require-trusted-types-for", null,
                "DOM XSS sinks such as innerHTML and eval accept plain strings.",
                "Add require-trusted-types-for 'script' once your code passes Trusted Types (try it in Report-Only first)."));
        }
    }

    private static void ReportingCheck(EvaluatorPolicyView csp, List<CspFinding> findings)
    {
        if (csp.Values("report-uri").Count > 0)
        {
            return;
        }

        findings.Add(csp.Values("report-to").Count > 0
            ? new(CspChecks.ReportToOnly, CspFindingSeverity.Info, "report-to", null,
                "The policy reports only through report-to, which some browsers in use do not support yet.",
                "Add a report-uri with the same endpoint URL as a fallback.")
            : new(CspChecks.ReportingDestinationMissing, CspFindingSeverity.Info, "report-uri", null,
                "The policy reports violations nowhere, so breakage and attacks go unseen.",
                "Add report-to (with a Reporting-Endpoints header) and report-uri."));
    }
}
