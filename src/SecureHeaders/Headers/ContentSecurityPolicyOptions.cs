using SecureHeaders.Csp;
using SecureHeaders.Policies;

namespace SecureHeaders.Headers;

/// <summary>
/// Options for one content security policy, written as a dictionary of directives (Talisman's style, bindable
/// from configuration) or set from a <see cref="CspPolicy"/> built in code. Values may contain the placeholder
/// <c>'nonce'</c>, replaced on every response by a fresh <c>'nonce-…'</c>.
/// </summary>
public sealed class ContentSecurityPolicyOptions
{
    /// <summary>Whether this policy is sent. Default: <see langword="true"/> for the enforced policy.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Send this policy as <c>Content-Security-Policy-Report-Only</c>: browsers report violations but block nothing
    /// (CSP3 §3.2). Useful to switch one endpoint to report-only while a policy is tuned.
    /// </summary>
    public bool ReportOnly { get; set; }

    /// <summary>The directives in order: name → values. An empty list is a directive without values (e.g. <c>upgrade-insecure-requests</c>).</summary>
    public IDictionary<string, IList<string>> Directives { get; set; } = new OrderedDictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The default enforced policy (see the README for why each directive is there).</summary>
    public static ContentSecurityPolicyOptions CreateDefault()
    {
        var options = new ContentSecurityPolicyOptions();
        options.Set(CspDirectives.DefaultSrc, "'self'")
            .Set(CspDirectives.BaseUri, "'self'")
            .Set(CspDirectives.ObjectSrc, "'none'")
            .Set(CspDirectives.FormAction, "'self'")
            .Set(CspDirectives.FrameAncestors, "'none'")
            .Set(CspDirectives.ImgSrc, "'self'", "data:")
            .Set(CspDirectives.UpgradeInsecureRequests);
        return options;
    }

    /// <summary>Replaces a directive's values, or adds the directive (django-csp's <c>csp_replace</c>).</summary>
    public ContentSecurityPolicyOptions Set(string directive, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(directive);
        Directives[directive] = [.. values];
        return this;
    }

    /// <summary>
    /// Adds sources to a directive (secure_headers' <c>append</c>, django-csp's <c>csp_update</c>). An absent fetch
    /// directive first takes the values it inherited (usually <c>default-src</c>), so adding never loosens other
    /// resource types; <c>'none'</c> is dropped once a source is added.
    /// </summary>
    public ContentSecurityPolicyOptions Add(string directive, params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(directive);
        ArgumentNullException.ThrowIfNull(sources);
        var policy = ToPolicyUnchecked().AddSources(directive, sources.Select(CspSource.Parse));
        return Use(policy);
    }

    /// <summary>Removes a directive (django-csp's exemption for one directive).</summary>
    public ContentSecurityPolicyOptions Remove(string directive)
    {
        ArgumentNullException.ThrowIfNull(directive);
        Directives.Remove(directive);
        return this;
    }

    /// <summary>Replaces every directive with those of <paramref name="policy"/>.</summary>
    public ContentSecurityPolicyOptions Use(CspPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Directives.Clear();
        foreach (var directive in policy.Directives)
        {
            Directives[directive.Name] = [.. directive.Values.Select(static v => v.Text)];
        }

        return this;
    }

    /// <summary>Replaces every directive with those of a serialized policy (Talisman accepts a string too). Validated at startup like any other form.</summary>
    public ContentSecurityPolicyOptions Use(string serializedPolicy)
    {
        ArgumentNullException.ThrowIfNull(serializedPolicy);
        Directives.Clear();
        foreach (var part in serializedPolicy.Split(';'))
        {
            var tokens = part.Split(CspParser.AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0)
            {
                Directives.TryAdd(tokens[0], tokens[1..]);
            }
        }

        return this;
    }

    /// <summary>Removes every directive.</summary>
    public ContentSecurityPolicyOptions Clear()
    {
        Directives.Clear();
        return this;
    }

    internal ContentSecurityPolicyOptions Clone()
    {
        var copy = new ContentSecurityPolicyOptions { Enabled = Enabled, ReportOnly = ReportOnly };
        foreach (var (name, values) in Directives)
        {
            copy.Directives[name] = [.. values];
        }

        return copy;
    }

    private CspPolicy ToPolicyUnchecked() =>
        CspPolicy.Create(Directives.Select(static d => new CspDirective(d.Key, CspDirective.Classify(d.Key, d.Value.SelectMany(v => v.Split(CspParser.AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries))))));

    /// <summary>Validates every directive and returns the policy, or <see langword="null"/> when disabled or invalid.</summary>
    internal CspPolicy? Compile(string path, ConfigurationProblems problems, bool isReportOnlyHeader)
    {
        if (!Enabled)
        {
            return null;
        }

        if (Directives.Count == 0)
        {
            problems.Error(path + ":Directives", "The policy is enabled but has no directives.", "Add directives, or set Enabled to false.");
            return null;
        }

        var errorsBefore = problems.All.Count(static p => p.Severity == ProblemSeverity.Error);
        var directives = new List<CspDirective>();
        foreach (var (name, values) in Directives)
        {
            var directivePath = path + ":Directives:" + name;
            var list = values ?? [];
            foreach (var diagnostic in CspParser.ValidateDirective(name, [.. list], CspParseMode.Configuration))
            {
                problems.Add(new ConfigurationProblem(directivePath, diagnostic.Message, diagnostic.Fix,
                    diagnostic.Severity == CspDiagnosticSeverity.Error ? ProblemSeverity.Error : ProblemSeverity.Warning));
            }

            directives.Add(new CspDirective(name, CspDirective.Classify(name, list.SelectMany(static v => (v ?? string.Empty).Split(CspParser.AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries)))));
        }

        var policy = CspPolicy.Create(directives);
        CheckPolicy(policy, path, problems, isReportOnlyHeader || ReportOnly);
        return problems.All.Count(static p => p.Severity == ProblemSeverity.Error) > errorsBefore ? null : policy;
    }

    private static void CheckPolicy(CspPolicy policy, string path, ConfigurationProblems problems, bool reportOnly)
    {
        foreach (var name in new[] { CspDirectives.ScriptSrc, CspDirectives.ScriptSrcElem, CspDirectives.DefaultSrc })
        {
            var directive = policy.Find(name);
            if (directive is not null && directive.Contains(CspSource.StrictDynamic)
                && !directive.Has(CspSourceKind.Nonce) && !directive.Has(CspSourceKind.Hash) && !directive.Has(CspSourceKind.NoncePlaceholder))
            {
                problems.Error(path + ":Directives:" + name, $"'strict-dynamic' in {name} without a nonce or hash blocks every script: it disables host and 'self' sources and trusts only scripts loaded by nonced or hashed ones.",
                    $"Add 'nonce' (SecureHeaders fills in a fresh nonce per response) or hashes of your inline scripts to {name}.");
            }
        }

        if (reportOnly && !policy.Contains(CspDirectives.ReportUri) && !policy.Contains(CspDirectives.ReportTo))
        {
            problems.Warning(path, "The policy is report-only but has neither report-uri nor report-to, so violations go nowhere but the browser console.",
                "Add report-to (with ReportingEndpoints) and report-uri, or enable SecureHeaders reporting.");
        }
    }
}
