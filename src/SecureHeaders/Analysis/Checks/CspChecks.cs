using SecureHeaders.Csp;

namespace SecureHeaders.Analysis.Checks;

/// <summary>
/// The seam to the CSP Evaluator: given the enforced policies, returns findings whose ids are the Evaluator's finding
/// types in kebab-case. <see cref="InterimCspFindings"/> covers the most important checks until the project's
/// <c>CspEvaluator</c> is available; then an adapter to it replaces the interim source.
/// </summary>
internal interface ICspFindingSource
{
    IEnumerable<Finding> Evaluate(CspPolicy policy);
}

/// <summary>A few of the CSP Evaluator's default checks, on the policy as browsers read it (CSP3 §6.8.3 fallbacks).</summary>
internal sealed class InterimCspFindings : ICspFindingSource
{
    public static readonly InterimCspFindings Instance = new();

    public IEnumerable<Finding> Evaluate(CspPolicy policy)
    {
        var script = policy.FindEffective(CspDirectives.ScriptSrc);
        var hasNonceOrHash = script is not null && (script.Has(CspSourceKind.Nonce) || script.Has(CspSourceKind.Hash));
        var strictDynamic = script?.Contains(CspSource.StrictDynamic) == true;
        if (script is null)
        {
            yield return new("missing-directives", FindingSeverity.High, "csp",
                "Neither script-src nor default-src is set, so scripts from anywhere can run.",
                "Add script-src with nonces ('nonce-…' 'strict-dynamic') or an allow-list such as 'self'.", OptionPaths.Csp, "Content-Security-Policy");
        }
        else
        {
            if (script.Contains(CspSource.UnsafeInline) && !hasNonceOrHash)
            {
                yield return new("script-unsafe-inline", FindingSeverity.High, "csp",
                    $"{script.Name} allows 'unsafe-inline', which lets injected inline scripts run: the CSP does not stop XSS.",
                    "Remove 'unsafe-inline'; use a nonce ('nonce-…' with 'strict-dynamic') or hashes for inline scripts.", OptionPaths.Csp, "Content-Security-Policy", "'unsafe-inline'");
            }

            if (script.Contains(CspSource.UnsafeEval))
            {
                yield return new("script-unsafe-eval", FindingSeverity.Medium, "csp",
                    $"{script.Name} allows 'unsafe-eval' (eval, new Function, string timers), which turns many injections into script execution.",
                    "Remove 'unsafe-eval' and replace eval-style code; 'wasm-unsafe-eval' is enough for WebAssembly.", OptionPaths.Csp, "Content-Security-Policy", "'unsafe-eval'");
            }

            if (!strictDynamic)
            {
                foreach (var value in script.Values)
                {
                    if (value.IsWildcardHost || (value.Kind == CspSourceKind.Scheme && value.Scheme is "http" or "https" or "data"))
                    {
                        yield return new(value.IsWildcardHost ? "plain-wildcard" : "plain-url-schemes", FindingSeverity.High, "csp",
                            $"{script.Name} allows {value.Text}, so scripts can load from any host an attacker controls.",
                            "List the exact hosts you load scripts from, or use nonces with 'strict-dynamic'.", OptionPaths.Csp, "Content-Security-Policy", value.Text);
                    }
                }
            }
        }

        var objects = policy.FindEffective(CspDirectives.ObjectSrc);
        if (objects is null)
        {
            yield return new("missing-directives", FindingSeverity.High, "csp",
                "object-src is not restricted (no object-src and no default-src), so plugins can load from anywhere.",
                "Add object-src 'none'.", OptionPaths.Csp, "Content-Security-Policy", "object-src");
        }
        else if (objects.Values.Any(static v => v.IsWildcardHost || v.Kind == CspSourceKind.Scheme))
        {
            yield return new("plain-wildcard", FindingSeverity.High, "csp",
                $"{objects.Name} allows plugin content from any host.", "Use object-src 'none'.", OptionPaths.Csp, "Content-Security-Policy", objects.ToString());
        }

        if (hasNonceOrHash && !policy.Contains(CspDirectives.BaseUri))
        {
            yield return new("missing-directives", FindingSeverity.High, "csp",
                "The policy uses nonces or hashes but has no base-uri, so an injected <base> tag can redirect relative script URLs.",
                "Add base-uri 'none' (or 'self').", OptionPaths.Csp, "Content-Security-Policy", "base-uri");
        }

        if (strictDynamic && !hasNonceOrHash)
        {
            yield return new("strict-dynamic-not-standalone", FindingSeverity.Info, "csp",
                "'strict-dynamic' without a nonce or hash blocks every script: browsers accept the policy, but nothing can run. The Observatory calls this policy invalid (-25).",
                "Add a nonce ('nonce-…') to script-src and to your script tags, or remove 'strict-dynamic'.", OptionPaths.Csp, "Content-Security-Policy");
        }

        foreach (var value in policy.Directives.SelectMany(static d => d.Values.Select(v => (d, v))))
        {
            if (value.v.Kind == CspSourceKind.Host && value.v.Scheme == "http")
            {
                yield return new("src-http", FindingSeverity.Medium, "csp",
                    $"{value.d.Name} allows {value.v.Text} over plain HTTP, which a network attacker can replace.",
                    "Use https:// for every source.", OptionPaths.Csp, "Content-Security-Policy", value.v.Text);
            }
        }
    }
}

/// <summary>CSP presence, syntax (our parser's diagnostics), evaluator findings and how browsers differ from the Observatory.</summary>
internal static class CspChecks
{
    public static void Run(CheckContext c, ICspFindingSource evaluator)
    {
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
