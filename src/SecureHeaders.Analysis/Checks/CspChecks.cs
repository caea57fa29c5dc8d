using SecureHeaders.Csp;

namespace SecureHeaders.Analysis.Checks;

/// <summary>
/// The seam to the CSP Evaluator: given an enforced policy, returns findings whose ids are the Evaluator's finding
/// types in kebab-case (<see cref="EvaluatorCspFindings"/> adapts the project's <c>CspEvaluator</c>).
/// </summary>
internal interface ICspFindingSource
{
    IEnumerable<Finding> Evaluate(CspPolicy policy);
}

/// <summary>
/// The project's CSP Evaluator (Google CSP Evaluator 1.1.8 checks plus our own), mapped onto finding severities:
/// high → high; syntax, medium and high-maybe → medium; strict-csp and medium-maybe → low; info → info.
/// </summary>
internal sealed class EvaluatorCspFindings : ICspFindingSource
{
    public static readonly EvaluatorCspFindings Instance = new();

    public IEnumerable<Finding> Evaluate(CspPolicy policy)
    {
        foreach (var finding in SecureHeaders.Csp.Evaluation.CspEvaluator.Evaluate(policy))
        {
            var severity = finding.Severity switch
            {
                SecureHeaders.Csp.Evaluation.CspFindingSeverity.High => FindingSeverity.High,
                SecureHeaders.Csp.Evaluation.CspFindingSeverity.Syntax or SecureHeaders.Csp.Evaluation.CspFindingSeverity.Medium
                    or SecureHeaders.Csp.Evaluation.CspFindingSeverity.HighMaybe => FindingSeverity.Medium,
                SecureHeaders.Csp.Evaluation.CspFindingSeverity.StrictCsp or SecureHeaders.Csp.Evaluation.CspFindingSeverity.MediumMaybe => FindingSeverity.Low,
                SecureHeaders.Csp.Evaluation.CspFindingSeverity.Info => FindingSeverity.Info,
                _ => (FindingSeverity?)null,
            };
            if (severity is { } mapped)
            {
                yield return new(finding.Check, mapped, "csp", finding.Message, finding.Fix, OptionPaths.Csp, "Content-Security-Policy",
                    finding.Value is null ? finding.Directive : finding.Directive + " " + finding.Value);
            }
        }
    }
}

/// <summary>CSP presence, syntax (our parser's diagnostics), evaluator findings and how browsers differ from the Observatory.</summary>
internal static class CspChecks
{
    public static void Run(CheckContext c, ICspFindingSource evaluator)
    {
        if (c.SkippedMetaPolicyText)
        {
            c.Add("meta-csp-too-large", FindingSeverity.Info, "csp",
                $"The page's <meta> policies add up to more than {HeaderSetReader.MaxHeaderBytes / 1024} KiB; only the first ones were evaluated.",
                "Send the policy as a header instead of in <meta> elements.", OptionPaths.Csp, "Content-Security-Policy");
        }

        var headers = c.Response.GetValues("Content-Security-Policy");
        if (c.EnforcedPolicies.Count == 0 && c.MetaPolicies.Count == 0)
        {
            if (c.ReportOnlyPolicies.Count > 0)
            {
                c.Add("csp-report-only", FindingSeverity.High, "csp",
                    "The CSP is only reported (Content-Security-Policy-Report-Only), not enforced: it blocks nothing.",
                    "Once the reports are clean, send the same policy as Content-Security-Policy.", OptionPaths.CspReportOnly, "Content-Security-Policy-Report-Only");
            }
            else
            {
                c.Add("csp-missing", FindingSeverity.High, "csp",
                    "No Content-Security-Policy: nothing limits what an injected script can do.",
                    "Send a policy such as default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none', or a nonce-based strict CSP.",
                    OptionPaths.Csp, "Content-Security-Policy");
            }

            return;
        }

        if (headers.Count > 1)
        {
            c.Add("csp-multiple-headers", FindingSeverity.Info, "csp",
                $"{headers.Count} Content-Security-Policy headers: browsers enforce every one of them (a resource must pass all). The Observatory joins them with commas into one garbled policy.",
                "Merge them into one header unless you mean to intersect two policies.", OptionPaths.Csp, "Content-Security-Policy");
        }

        foreach (var diagnostic in c.CspDiagnostics)
        {
            if (diagnostic.Code == CspDiagnosticCode.DuplicateDirective && diagnostic.Directive is "report-uri" or "report-to")
            {
                c.Add("csp-duplicate-reporting-directive", FindingSeverity.Info, "csp",
                    $"{diagnostic.Directive} appears twice; browsers use the first and the repeat is harmless, but the Observatory replaces the CSP result with csp-implemented-but-duplicate-directives and drops the +5/+10 bonus.",
                    $"Keep one {diagnostic.Directive}.", OptionPaths.Csp, "Content-Security-Policy", diagnostic.Directive);
                continue;
            }

            if (diagnostic.Code is not (CspDiagnosticCode.DuplicateDirective or CspDiagnosticCode.CommaInPolicy
                or CspDiagnosticCode.ControlCharacter or CspDiagnosticCode.NonAsciiDirective or CspDiagnosticCode.EmptyPolicy))
            {
                continue;
            }

            var severity = diagnostic.Severity switch
            {
                CspDiagnosticSeverity.Error => FindingSeverity.Medium,
                CspDiagnosticSeverity.Warning => FindingSeverity.Low,
                _ => FindingSeverity.Info,
            };
            var note = diagnostic.Code == CspDiagnosticCode.DuplicateDirective ? " The Observatory grades a repeated directive as csp-header-invalid (-25)." : string.Empty;
            c.Add("csp-" + Kebab(diagnostic.Code.ToString()), severity, "csp", diagnostic.Message + note, diagnostic.Fix, OptionPaths.Csp, "Content-Security-Policy", diagnostic.Value ?? diagnostic.Directive);
        }

        var seen = new HashSet<(string, string?)>();
        foreach (var policy in c.AllEnforced)
        {
            foreach (var finding in evaluator.Evaluate(policy))
            {
                if (seen.Add((finding.Id, finding.Evidence)))
                {
                    c.Findings.Add(finding);
                }
            }
        }

        if (c.AllEnforced.Any(static p => p.FindEffective(CspDirectives.ScriptSrc) is { } script
            && script.Contains(CspSource.StrictDynamic) && !script.Has(CspSourceKind.Nonce) && !script.Has(CspSourceKind.Hash)))
        {
            c.Add("strict-dynamic-not-standalone", FindingSeverity.Info, "csp",
                "'strict-dynamic' without a nonce or hash blocks every script: browsers accept the policy, but nothing can run. The Observatory calls this policy invalid (-25).",
                "Add a nonce ('nonce-…') to script-src and to your script tags, or remove 'strict-dynamic'.", OptionPaths.Csp, "Content-Security-Policy");
        }

        foreach (var meta in c.MetaPolicies)
        {
            foreach (var name in new[] { CspDirectives.FrameAncestors, CspDirectives.ReportUri, CspDirectives.Sandbox })
            {
                if (meta.Contains(name))
                {
                    c.Add("csp-meta-directive-ignored", FindingSeverity.Low, "csp",
                        $"{name} in a <meta> CSP is ignored by browsers (CSP3 §3.3)." + (name == CspDirectives.FrameAncestors ? " The Observatory still awards the X-Frame-Options bonus for it." : string.Empty),
                        $"Send {name} in the Content-Security-Policy header.", OptionPaths.Csp, "Content-Security-Policy", name);
                }
            }
        }

        if (c.EnforcedPolicies.Count > 0 && !c.AllEnforced.Any(static p => p.Contains(CspDirectives.StyleSrc) || p.Contains(CspDirectives.DefaultSrc)))
        {
            c.Add("csp-no-style-restriction", FindingSeverity.Info, "csp",
                "Neither style-src nor default-src is set. Browsers then allow any style, which is fine against script injection, but the Observatory treats style-src as * and gives 0 instead of +5.",
                "Add default-src 'self' (or style-src 'self') if you want the +5.", OptionPaths.Csp, "Content-Security-Policy");
        }
    }

    internal static string Kebab(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var ch in pascal)
        {
            if (char.IsUpper(ch) && sb.Length > 0)
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }
}
