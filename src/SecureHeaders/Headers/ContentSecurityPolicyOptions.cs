using SecureHeaders.Csp;
using SecureHeaders.Configuration;

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

    /// <summary>The default enforced policy, <see cref="CspPresets.Basic"/> (see the README for why each directive is there).</summary>
    public static ContentSecurityPolicyOptions CreateDefault() => new ContentSecurityPolicyOptions().Use(CspPresets.Basic);

    /// <summary>
    /// Replaces every directive with a preset of <see cref="CspPresets"/> by name (<c>Strict</c>, <c>Basic</c>,
    /// <c>StrictWithBasic</c>, <c>Api</c>…); use <see cref="Merge(CspPolicy)"/> to add a fragment preset instead.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a preset.</exception>
    public ContentSecurityPolicyOptions UsePreset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Use(CspPresets.Find(name) ?? throw new ArgumentException($"\"{name}\" is not a CSP preset. Presets: {string.Join(", ", CspPresets.Names)}.", nameof(name)));
    }

    /// <summary>
    /// Adds the sources of <paramref name="fragment"/> (a preset such as <see cref="CspPresets.GoogleFonts"/>) to this
    /// policy, directive by directive. A preset that owns some directives replaces them instead
    /// (<see cref="CspPresets.Layer"/>): the style modes their style directives, <see cref="CspPresets.SwaggerUi"/> and
    /// <see cref="CspPresets.ReDoc"/> their script and style directives, <see cref="CspPresets.Scalar"/> its styles.
    /// </summary>
    public ContentSecurityPolicyOptions Merge(CspPolicy fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return Use(CspPresets.Layer(ToPolicyUnchecked(), fragment));
    }

    /// <summary>
    /// Replaces the style directives with those of a style mode (<see cref="CspPresets.StyleAttributes"/>,
    /// <see cref="CspPresets.InlineStyles"/>), whatever the policy had for styles before.
    /// </summary>
    public ContentSecurityPolicyOptions UseStyles(CspPolicy styleMode)
    {
        ArgumentNullException.ThrowIfNull(styleMode);
        return Use(CspPresets.WithStyles(ToPolicyUnchecked(), styleMode));
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
        foreach (var token in CspParser.Tokenize(serializedPolicy))
        {
            Directives.TryAdd(token.Name, [.. token.Values]);
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

    /// <summary>
    /// Validates the policy with <see cref="CspPolicyCompiler"/> (the one validation behind every way of writing a
    /// policy) and returns it, or <see langword="null"/> when disabled or invalid.
    /// </summary>
    internal CspPolicy? Compile(string path, ConfigurationProblems problems, bool isReportOnlyHeader)
    {
        if (!Enabled)
        {
            return null;
        }

        if (Directives.Count == 0)
        {
            problems.Error(path + ":Directives", "The policy is enabled but has no directives.", "Add directives or a preset, or set Enabled to false.");
            return null;
        }

        var directives = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in Directives)
        {
            directives[name] = values is null ? [] : [.. values];
        }

        var compilation = CspPolicyCompiler.Compile(directives, new CspCompileOptions { ReportOnly = isReportOnlyHeader || ReportOnly });
        foreach (var diagnostic in compilation.Diagnostics)
        {
            if (diagnostic.Severity == CspDiagnosticSeverity.Info)
            {
                continue;
            }

            problems.Add(new ConfigurationProblem(
                diagnostic.Directive is null ? path : path + ":Directives:" + diagnostic.Directive,
                diagnostic.Message,
                diagnostic.Fix,
                diagnostic.Severity == CspDiagnosticSeverity.Error ? ProblemSeverity.Error : ProblemSeverity.Warning));
        }

        var wildcardPaths = WildcardPaths(compilation.Policy, path, problems);
        return compilation.HasErrors || wildcardPaths ? null : compilation.Policy;
    }

    /// <summary>
    /// A path in a host source matches literally (CSP3 §6.7.2.12): <c>https://cdn.example/*</c> allows only a file
    /// named <c>*</c>, so browsers block the whole host the user meant to allow. Always a mistake in configuration.
    /// </summary>
    private static bool WildcardPaths(CspPolicy policy, string path, ConfigurationProblems problems)
    {
        var found = false;
        foreach (var directive in policy.Directives)
        {
            foreach (var source in directive.Values)
            {
                if (source.Kind == CspSourceKind.Host && source.Path is { } sourcePath && sourcePath.Contains('*', StringComparison.Ordinal))
                {
                    var withoutPath = source.Text[..^sourcePath.Length];
                    var folder = sourcePath[..(sourcePath.IndexOf('*', StringComparison.Ordinal))];
                    problems.Error(path + ":Directives:" + directive.Name,
                        $"{source.Text} has a '*' in its path; CSP paths are not patterns, so browsers would allow only a file literally named '*' and block the rest of the host.",
                        folder.Length > 1 ? $"Write {withoutPath + folder} to allow everything under {folder}, or {withoutPath} for the whole host." : $"Write {withoutPath} to allow the whole host.");
                    found = true;
                }
            }
        }

        return found;
    }
}
