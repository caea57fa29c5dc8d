namespace SecureHeaders.Csp;

/// <summary>
/// A fluent, typed way to write a policy: each directive offers only the source kinds it understands
/// (<c>frame-ancestors</c> has no <c>Nonce()</c>, <c>img-src</c> no <c>StrictDynamic()</c>).
/// <see cref="Build"/> gives the <see cref="CspPolicy"/>; <see cref="CspPolicyCompiler.Compile(CspBuilder, CspCompileOptions?)"/>
/// gives the policy and every diagnostic, with the same validation as the dictionary form.
/// </summary>
/// <example>
/// <code>
/// var policy = new CspBuilder()
///     .ScriptSrc(s => s.Nonce().StrictDynamic().UnsafeInline().Https())
///     .ObjectSrc(s => s.None())
///     .BaseUri(s => s.None())
///     .FrameAncestors(s => s.None())
///     .Build();
/// </code>
/// </example>
/// <remarks>Calling a directive method twice adds to the same directive; directives keep the order of their first call.</remarks>
public sealed class CspBuilder
{
    private readonly List<(string Name, List<CspSource> Values)> _directives = [];

    /// <summary>Starts an empty builder.</summary>
    public CspBuilder()
    {
    }

    /// <summary>Starts from an existing policy (for example a preset) and adds to it.</summary>
    public CspBuilder(CspPolicy start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var directive in start.Directives)
        {
            _directives.Add((directive.Name, [.. directive.Values]));
        }
    }

#pragma warning disable CS1591 // Each method is the directive of the same name; the source builders document the values.
    /// <summary><c>default-src</c> (CSP3 §6.1.3): the fallback of every fetch directive.</summary>
    public CspBuilder DefaultSrc(Action<CspScriptSources> sources) => Sources(CspDirectives.DefaultSrc, new CspScriptSources(), sources);

    /// <summary><c>script-src</c> (CSP3 §6.1.11).</summary>
    public CspBuilder ScriptSrc(Action<CspScriptSources> sources) => Sources(CspDirectives.ScriptSrc, new CspScriptSources(), sources);

    /// <summary><c>script-src-elem</c> (CSP3 §6.1.12): script elements only.</summary>
    public CspBuilder ScriptSrcElem(Action<CspScriptSources> sources) => Sources(CspDirectives.ScriptSrcElem, new CspScriptSources(), sources);

    /// <summary><c>script-src-attr</c> (CSP3 §6.1.13): event-handler attributes only.</summary>
    public CspBuilder ScriptSrcAttr(Action<CspAttributeSources> sources) => Sources(CspDirectives.ScriptSrcAttr, new CspAttributeSources(), sources);

    /// <summary><c>style-src</c> (CSP3 §6.1.14).</summary>
    public CspBuilder StyleSrc(Action<CspStyleSources> sources) => Sources(CspDirectives.StyleSrc, new CspStyleSources(), sources);

    /// <summary><c>style-src-elem</c> (CSP3 §6.1.15).</summary>
    public CspBuilder StyleSrcElem(Action<CspStyleSources> sources) => Sources(CspDirectives.StyleSrcElem, new CspStyleSources(), sources);

    /// <summary><c>style-src-attr</c> (CSP3 §6.1.16): style attributes only.</summary>
    public CspBuilder StyleSrcAttr(Action<CspAttributeSources> sources) => Sources(CspDirectives.StyleSrcAttr, new CspAttributeSources(), sources);

    /// <summary><c>img-src</c> (CSP3 §6.1.6).</summary>
    public CspBuilder ImgSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.ImgSrc, sources);

    /// <summary><c>font-src</c> (CSP3 §6.1.4).</summary>
    public CspBuilder FontSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.FontSrc, sources);

    /// <summary><c>connect-src</c> (CSP3 §6.1.2): fetch, XHR, WebSocket, EventSource, beacons.</summary>
    public CspBuilder ConnectSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.ConnectSrc, sources);

    /// <summary><c>media-src</c> (CSP3 §6.1.8).</summary>
    public CspBuilder MediaSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.MediaSrc, sources);

    /// <summary><c>manifest-src</c> (CSP3 §6.1.7).</summary>
    public CspBuilder ManifestSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.ManifestSrc, sources);

    /// <summary><c>object-src</c> (CSP3 §6.1.9); use <c>s =&gt; s.None()</c>.</summary>
    public CspBuilder ObjectSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.ObjectSrc, sources);

    /// <summary><c>frame-src</c> (CSP3 §6.1.5): what this page may frame.</summary>
    public CspBuilder FrameSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.FrameSrc, sources);

    /// <summary><c>child-src</c> (CSP3 §6.1.1): fallback of frame-src and worker-src.</summary>
    public CspBuilder ChildSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.ChildSrc, sources);

    /// <summary><c>worker-src</c> (CSP3 §6.1.17).</summary>
    public CspBuilder WorkerSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.WorkerSrc, sources);

    /// <summary><c>fenced-frame-src</c> (experimental; Chromium only).</summary>
    public CspBuilder FencedFrameSrc(Action<CspFetchSources> sources) => Fetch(CspDirectives.FencedFrameSrc, sources);

    /// <summary><c>base-uri</c> (CSP3 §6.2.1): what &lt;base href&gt; may point to. It does not fall back to default-src.</summary>
    public CspBuilder BaseUri(Action<CspUrlSources> sources) => Sources(CspDirectives.BaseUri, new CspUrlSources(), sources);

    /// <summary><c>form-action</c> (CSP3 §6.3.1): where forms may submit. It does not fall back to default-src.</summary>
    public CspBuilder FormAction(Action<CspUrlSources> sources) => Sources(CspDirectives.FormAction, new CspUrlSources(), sources);

    /// <summary><c>frame-ancestors</c> (CSP3 §6.3.2): who may frame this page. Ignored in &lt;meta&gt; policies.</summary>
    public CspBuilder FrameAncestors(Action<CspUrlSources> sources) => Sources(CspDirectives.FrameAncestors, new CspUrlSources(), sources);
#pragma warning restore CS1591

    /// <summary><c>sandbox</c> (CSP3 §6.2.2) with the given exceptions; <see cref="CspSandboxFlags.None"/> is the strictest sandbox.</summary>
    public CspBuilder Sandbox(CspSandboxFlags flags = CspSandboxFlags.None)
    {
        var tokens = new List<CspSource>();
        foreach (var flag in Enum.GetValues<CspSandboxFlags>())
        {
            if (flag != CspSandboxFlags.None && flags.HasFlag(flag))
            {
                tokens.Add(CspSource.Token(Internal.Kebab.FromPascal(flag.ToString())));
            }
        }

        return Set(CspDirectives.Sandbox, tokens);
    }

    /// <summary><c>upgrade-insecure-requests</c>: browsers fetch http: subresources over https: (W3C Upgrade Insecure Requests). Leave it out on plain-HTTP development servers.</summary>
    public CspBuilder UpgradeInsecureRequests() => Set(CspDirectives.UpgradeInsecureRequests, []);

    /// <summary><c>report-to</c> (CSP3 §6.4.2): the name of an endpoint declared in the Reporting-Endpoints header.</summary>
    public CspBuilder ReportTo(string endpointName)
    {
        ArgumentNullException.ThrowIfNull(endpointName);
        return Set(CspDirectives.ReportTo, [CspSource.Token(endpointName)]);
    }

    /// <summary><c>report-uri</c> (CSP3 §6.4.1, deprecated but still needed for browsers without report-to): where to POST reports.</summary>
    public CspBuilder ReportUri(params IEnumerable<string> uris)
    {
        ArgumentNullException.ThrowIfNull(uris);
        return Set(CspDirectives.ReportUri, [.. uris.Select(CspSource.Token)]);
    }

    /// <summary><c>require-trusted-types-for 'script'</c> (Trusted Types §4.1): DOM XSS sinks only take Trusted Types.</summary>
    public CspBuilder RequireTrustedTypesFor() => Set(CspDirectives.RequireTrustedTypesFor, [CspSource.Token("'script'")]);

    /// <summary>
    /// <c>trusted-types</c> (Trusted Types §4.2): the names of policies the page may create; <c>"*"</c> allows any
    /// name, <c>"'allow-duplicates'"</c> allows creating a name twice. No names means <c>'none'</c>.
    /// </summary>
    public CspBuilder TrustedTypes(params IEnumerable<string> policyNames)
    {
        ArgumentNullException.ThrowIfNull(policyNames);
        var tokens = policyNames.Select(static n => n == "'none'" ? CspSource.NoneSource : CspSource.Token(n)).ToList();
        return Set(CspDirectives.TrustedTypes, tokens.Count == 0 ? [CspSource.NoneSource] : tokens);
    }

    /// <summary>Any directive by name with raw values, for directives this builder has no method for. Validated like the dictionary form.</summary>
    public CspBuilder Directive(string name, params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        return Set(name.ToLowerInvariant(), [.. CspDirective.Classify(name, values)]);
    }

    /// <summary>Removes a directive.</summary>
    public CspBuilder Remove(string name)
    {
        _directives.RemoveAll(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <summary>The policy as built, without validation. Use <see cref="CspPolicyCompiler.Compile(CspBuilder, CspCompileOptions?)"/> to validate.</summary>
    public CspPolicy Build() => CspPolicy.Create(_directives.Select(static d => new CspDirective(d.Name, d.Values)));

    private CspBuilder Fetch(string name, Action<CspFetchSources> sources) => Sources(name, new CspFetchSources(), sources);

    private CspBuilder Sources<TBuilder>(string name, TBuilder builder, Action<TBuilder> configure)
        where TBuilder : CspSourceListBuilder<TBuilder>
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder);
        var index = _directives.FindIndex(d => d.Name == name);
        if (index < 0)
        {
            _directives.Add((name, [.. builder.Sources]));
        }
        else
        {
            foreach (var source in builder.Sources)
            {
                if (!_directives[index].Values.Contains(source))
                {
                    _directives[index].Values.Add(source);
                }
            }
        }

        return this;
    }

    private CspBuilder Set(string name, List<CspSource> values)
    {
        var index = _directives.FindIndex(d => d.Name == name);
        if (index < 0)
        {
            _directives.Add((name, values));
        }
        else
        {
            _directives[index] = (name, values);
        }

        return this;
    }
}
