using System.Collections.Immutable;

namespace SecureHeaders.Csp.Evaluation;

/// <summary>SecureHeaders' own checks: what the CSP Evaluator does not look at. Each name is documented in <see cref="CspChecks"/>.</summary>
internal static class OwnChecks
{
    /// <summary>Parser diagnostics that say the same as an Evaluator finding; reported only when no Evaluator finding covers them.</summary>
    private static readonly CspDiagnosticCode[] s_overlapping =
    [
        CspDiagnosticCode.UnknownDirective, CspDiagnosticCode.InvalidDirectiveName, CspDiagnosticCode.UnquotedKeyword,
        CspDiagnosticCode.UnquotedNonceOrHash, CspDiagnosticCode.UnknownKeyword, CspDiagnosticCode.NoncePlaceholderInHeader,
        CspDiagnosticCode.InvalidNonce,
    ];

    private static readonly HashSet<string> s_evaluatorDeprecated = new(StringComparer.Ordinal) { "reflected-xss", "referrer", "disown-opener", "prefetch-src" };

    public static void Run(CspPolicy policy, EvaluatorPolicyView parsed, CspEvaluationOptions options, ImmutableArray<CspDiagnostic> diagnostics, List<CspFinding> findings)
    {
        var own = new List<CspFinding>();
        FromDiagnostics(diagnostics, findings, own);
        MissingDirectives(policy, parsed, options, own);
        Reporting(policy, options, own);
        Support(policy, own);
        StrictDynamic(parsed, options, own);
        XFrameOptions(policy, options, own);
        Styles(policy, own);
        StaticNonce(policy, options, own);
        findings.AddRange(own);
    }

    private static void FromDiagnostics(ImmutableArray<CspDiagnostic> diagnostics, List<CspFinding> evaluatorFindings, List<CspFinding> own)
    {
        // Looked up once per diagnostic: a set, not a scan of the findings, since both grow with the policy.
        HashSet<string>? coveredDirectives = null;
        HashSet<(string Directive, string Value)>? coveredValues = null;
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Code is CspDiagnosticCode.DeprecatedDirective or CspDiagnosticCode.ExperimentalDirective)
            {
                continue; // deprecated-directive(-support) and browser-support-gap say it with browser data.
            }

            if (s_overlapping.Contains(diagnostic.Code) && diagnostic.Directive is { } directive)
            {
                if (coveredDirectives is null)
                {
                    coveredDirectives = new(StringComparer.Ordinal);
                    coveredValues = new(DirectiveValueComparer.Instance);
                    foreach (var f in evaluatorFindings)
                    {
                        if (f.IsEvaluatorCheck)
                        {
                            coveredDirectives.Add(f.Directive);
                            if (f.Value is not null)
                            {
                                coveredValues.Add((f.Directive, f.Value));
                            }
                        }
                    }
                }

                if (diagnostic.Value is null ? coveredDirectives.Contains(directive) : coveredValues!.Contains((directive, diagnostic.Value)))
                {
                    continue;
                }
            }

            own.Add(new(Kebab(diagnostic.Code.ToString()),
                diagnostic.Severity == CspDiagnosticSeverity.Error ? CspFindingSeverity.Syntax : CspFindingSeverity.Info,
                diagnostic.Directive ?? string.Empty, diagnostic.Value, diagnostic.Message, diagnostic.Fix));
        }
    }

    private static void MissingDirectives(CspPolicy policy, EvaluatorPolicyView parsed, CspEvaluationOptions options, List<CspFinding> own)
    {
        if (!policy.Contains(CspDirectives.FrameAncestors))
        {
            var xfoCovers = options.XFrameOptions?.Trim().ToUpperInvariant() is "DENY" or "SAMEORIGIN";
            own.Add(new(CspChecks.MissingFrameAncestors, xfoCovers ? CspFindingSeverity.Info : CspFindingSeverity.Medium, CspDirectives.FrameAncestors, null,
                xfoCovers
                    ? "There is no frame-ancestors; X-Frame-Options protects against framing, but frame-ancestors is the standard that supersedes it."
                    : "There is no frame-ancestors, so any site may frame this page (clickjacking). It does not fall back to default-src.",
                "Add frame-ancestors 'none' (or 'self' if the site frames its own pages)."));
        }

        if (!policy.Contains(CspDirectives.FormAction))
        {
            own.Add(new(CspChecks.MissingFormAction, CspFindingSeverity.MediumMaybe, CspDirectives.FormAction, null,
                "There is no form-action, and it does not fall back to default-src: an injected form can send what users type to any site.",
                "Add form-action 'self' (plus the hosts your forms post to)."));
        }

        var evaluatorCovers = options.Checks.HasFlag(CspCheckSets.EvaluatorDefault)
            && (parsed.HasStrictNonce() || (parsed.HasStrictHash() && parsed.HasStrictDynamic()));
        if (!policy.Contains(CspDirectives.BaseUri) && !evaluatorCovers)
        {
            own.Add(new(CspChecks.MissingBaseUri, CspFindingSeverity.MediumMaybe, CspDirectives.BaseUri, null,
                "There is no base-uri, and it does not fall back to default-src: an injected <base href> changes where relative URLs of scripts, links and forms point.",
                "Add base-uri 'self' (or 'none')."));
        }
    }

    private static void Reporting(CspPolicy policy, CspEvaluationOptions options, List<CspFinding> own)
    {
        var reportUri = policy.Find(CspDirectives.ReportUri) is { Values.IsEmpty: false };
        var reportTo = policy.Find(CspDirectives.ReportTo) is { Values.IsEmpty: false };
        if (reportUri && !reportTo)
        {
            own.Add(new(CspChecks.ReportUriWithoutReportTo, CspFindingSeverity.Info, CspDirectives.ReportUri, null,
                "report-uri is deprecated in CSP3 in favour of report-to; browsers that support report-to ignore report-uri when both are present.",
                "Add report-to with an endpoint declared in a Reporting-Endpoints header, and keep report-uri for browsers without report-to."));
        }

        if (options.ReportOnly && !reportUri && !reportTo)
        {
            own.Add(new(CspChecks.ReportOnlyWithoutDestination, CspFindingSeverity.Medium, CspDirectives.ReportUri, null,
                "A Report-Only policy without report-uri or report-to enforces nothing and reports nowhere; only the console shows its violations.",
                "Add report-to (with Reporting-Endpoints) and report-uri, or enforce the policy instead."));
        }
    }

    private static void Support(CspPolicy policy, List<CspFinding> own)
    {
        foreach (var directive in policy.Directives)
        {
            var info = directive.Info;
            if (info is null)
            {
                continue;
            }

            var support = info.Support;
            if (info.IsDeprecated && !s_evaluatorDeprecated.Contains(info.Name) && info.Name != CspDirectives.ReportUri)
            {
                own.Add(new(CspChecks.DeprecatedDirectiveSupport, CspFindingSeverity.Info, info.Name, null,
                    $"{info.Name} is deprecated{(support is null ? string.Empty : " (" + support.Describe() + ")")}.",
                    info.Replacement is null ? $"Remove {info.Name}." : "Use " + info.Replacement + "."));
                continue;
            }

            if (!info.IsDeprecated && support is { IsSupportedEverywhere: false })
            {
                own.Add(new(CspChecks.BrowserSupportGap, CspFindingSeverity.Info, info.Name, null,
                    $"{info.Name} is not supported everywhere (MDN: {support.Describe()}); browsers without it ignore the directive.{Measured(info.Name)}",
                    FallbackHint(info)));
            }

            foreach (var source in directive.Values)
            {
                if (source.Kind == CspSourceKind.Keyword && Compatibility.BrowserSupport.ForCsp(source.Text.ToLowerInvariant()) is { IsSupportedEverywhere: false } keywordSupport)
                {
                    own.Add(new(CspChecks.BrowserSupportGap, CspFindingSeverity.Info, info.Name, source.Text,
                        $"{source.Text} is not supported everywhere (MDN: {keywordSupport.Describe()}).{Measured(source.Text.Trim('\'').ToLowerInvariant())}", null));
                }
            }
        }
    }

    /// <summary>What the conformance suite measured in Chromium, Firefox and WebKit for the directive or keyword (docs/browser-matrix.md).</summary>
    private static string Measured(string feature) =>
        Compatibility.BrowserMatrix.DescribeMeasured(Compatibility.BrowserSupport.ContentSecurityPolicy + "/" + feature) is { } measured ? " " + measured : string.Empty;

    private static string? FallbackHint(CspDirectiveInfo info) =>
        info.Fallback.Count > 1 ? $"Make sure {info.Fallback[1]} also covers what {info.Name} restricts, for browsers that ignore it." : null;

    private static void StrictDynamic(EvaluatorPolicyView parsed, CspEvaluationOptions options, List<CspFinding> own)
    {
        if (options.Checks.HasFlag(CspCheckSets.EvaluatorStrict))
        {
            return; // strict-dynamic-not-standalone says it.
        }

        if (parsed.HasStrictDynamic() && !parsed.HasStrictNonce() && !parsed.HasStrictHash())
        {
            own.Add(new(CspChecks.StrictDynamicWithoutNonceOrHash, CspFindingSeverity.Info, parsed.EffectiveDirective("script-src"), "'strict-dynamic'",
                "'strict-dynamic' without a nonce or hash trusts no script at all: every script is blocked.",
                "Add a per-response nonce or the hashes of your inline scripts."));
        }
    }

    private static void XFrameOptions(CspPolicy policy, CspEvaluationOptions options, List<CspFinding> own)
    {
        if (options.XFrameOptions is not { } raw)
        {
            return;
        }

        var xfo = raw.Trim().ToUpperInvariant();
        var ancestors = policy.Find(CspDirectives.FrameAncestors);
        if (xfo.StartsWith("ALLOW-FROM", StringComparison.Ordinal))
        {
            own.Add(new(CspChecks.XFrameOptionsConflict, CspFindingSeverity.Medium, CspDirectives.FrameAncestors, raw,
                "X-Frame-Options ALLOW-FROM is obsolete: current browsers ignore the header entirely, so it protects nothing.",
                "Use frame-ancestors with the origins allowed to frame the page, and drop X-Frame-Options or set it to SAMEORIGIN."));
            return;
        }

        if (xfo is not "DENY" and not "SAMEORIGIN")
        {
            own.Add(new(CspChecks.XFrameOptionsConflict, CspFindingSeverity.Medium, CspDirectives.FrameAncestors, raw,
                $"\"{raw}\" is not a valid X-Frame-Options value; browsers ignore it.",
                "Send DENY or SAMEORIGIN, and frame-ancestors in the CSP."));
            return;
        }

        if (ancestors is null)
        {
            return;
        }

        var matches = xfo == "DENY"
            ? ancestors.AllowsNothing
            : ancestors.Values.Length == 1 && ancestors.Values[0].Equals(CspSource.Self);
        if (!matches)
        {
            own.Add(new(CspChecks.XFrameOptionsConflict, CspFindingSeverity.Info, CspDirectives.FrameAncestors, raw,
                $"X-Frame-Options {xfo} and \"{ancestors}\" disagree; browsers that support frame-ancestors ignore X-Frame-Options, older ones apply it, so the page behaves differently per browser.",
                xfo == "DENY" ? "Make them agree: frame-ancestors 'none' with DENY." : "Make them agree: frame-ancestors 'self' with SAMEORIGIN, or drop X-Frame-Options if other origins must frame the page."));
        }
    }

    private static void Styles(CspPolicy policy, List<CspFinding> own)
    {
        var style = policy.FindEffective(CspDirectives.StyleSrc);
        if (style is not null && style.Contains(CspSource.UnsafeInline)
            && !style.Has(CspSourceKind.Nonce) && !style.Has(CspSourceKind.Hash) && !style.Has(CspSourceKind.NoncePlaceholder))
        {
            own.Add(new(CspChecks.StyleSrcUnsafeInline, CspFindingSeverity.MediumMaybe, style.Name, "'unsafe-inline'",
                "'unsafe-inline' for styles lets injected <style> blocks and style attributes apply, which can exfiltrate data through CSS selectors or spoof the page.",
                "Use nonces or hashes for <style> blocks (style-src) and allow attributes separately with style-src-attr if you must."));
        }
    }

    private static void StaticNonce(CspPolicy policy, CspEvaluationOptions options, List<CspFinding> own)
    {
        if (!options.ConfiguredPolicy)
        {
            return;
        }

        foreach (var directive in policy.Directives)
        {
            foreach (var source in directive.Values)
            {
                if (source.Kind == CspSourceKind.Nonce)
                {
                    own.Add(new(CspChecks.ConfiguredStaticNonce, CspFindingSeverity.High, directive.Name, source.Text,
                        $"{source.Text} is written into the configuration, so every response carries the same nonce and an attacker can copy it.",
                        "Use the 'nonce' placeholder (builder: .Nonce()); SecureHeaders puts a fresh nonce into every response."));
                }
            }
        }
    }

    internal static string Kebab(string pascal) => Internal.Kebab.FromPascal(pascal);

    /// <summary>Directive names compare exactly, values ignoring case, as the overlap rule says.</summary>
    private sealed class DirectiveValueComparer : IEqualityComparer<(string Directive, string Value)>
    {
        public static readonly DirectiveValueComparer Instance = new();

        public bool Equals((string Directive, string Value) x, (string Directive, string Value) y) =>
            string.Equals(x.Directive, y.Directive, StringComparison.Ordinal) && string.Equals(x.Value, y.Value, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Directive, string Value) obj) =>
            HashCode.Combine(StringComparer.Ordinal.GetHashCode(obj.Directive), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Value));
    }
}
