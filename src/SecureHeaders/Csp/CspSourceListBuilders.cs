namespace SecureHeaders.Csp;

/// <summary>
/// The base of the typed source-list builders: each directive of <see cref="CspBuilder"/> hands its callback the
/// builder whose methods are exactly the source kinds that directive understands (CSP3 §2.3.1, §6).
/// </summary>
/// <typeparam name="TSelf">The concrete builder, so that calls chain.</typeparam>
public abstract class CspSourceListBuilder<TSelf>
    where TSelf : CspSourceListBuilder<TSelf>
{
    private readonly List<CspSource> _sources = [];

    private protected CspSourceListBuilder()
    {
    }

    /// <summary>The sources added so far, in order.</summary>
    public IReadOnlyList<CspSource> Sources => _sources;

    /// <summary><c>'none'</c>: allow nothing. Browsers ignore it next to other sources, so the compiler reports that combination.</summary>
    public TSelf None() => Add(CspSource.NoneSource);

    /// <summary>Adds a source; repeated sources are added once.</summary>
    private protected TSelf Add(CspSource source)
    {
        if (!_sources.Contains(source))
        {
            _sources.Add(source);
        }

        return (TSelf)this;
    }

    /// <summary>
    /// Adds a token as written. Tokens that are no valid source stay in the policy as <see cref="CspSourceKind.Invalid"/>
    /// so that <see cref="CspPolicyCompiler"/> reports them with a fix, instead of throwing from inside a callback.
    /// </summary>
    private protected TSelf AddParsed(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Add(CspSource.Parse(token));
    }
}

/// <summary>Sources of directives that take URLs only: <c>base-uri</c>, <c>form-action</c>, <c>frame-ancestors</c> (CSP3 §6.2.1, §6.3.1, §6.3.2).</summary>
/// <typeparam name="TSelf">The concrete builder.</typeparam>
public abstract class CspUrlSourceListBuilder<TSelf> : CspSourceListBuilder<TSelf>
    where TSelf : CspUrlSourceListBuilder<TSelf>
{
    private protected CspUrlSourceListBuilder()
    {
    }

    /// <summary><c>'self'</c>: the page's own origin (and its <c>https:</c>/<c>wss:</c> upgrades, CSP3 §6.7.2.8).</summary>
    public TSelf Self() => Add(CspSource.Self);

    /// <summary>A host source such as <c>https://cdn.example.com</c>, <c>*.example.com</c> or <c>https://example.com/js/</c> (CSP3 §2.3.1 <c>host-source</c>).</summary>
    public TSelf Host(string hostSource) => AddParsed(hostSource);

    /// <summary>Several host sources.</summary>
    public TSelf Hosts(params IEnumerable<string> hostSources)
    {
        ArgumentNullException.ThrowIfNull(hostSources);
        foreach (var host in hostSources)
        {
            Host(host);
        }

        return (TSelf)this;
    }

    /// <summary>A scheme source such as <c>https:</c>; the colon is optional (CSP3 §2.3.1 <c>scheme-source</c>).</summary>
    public TSelf Scheme(string scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        return AddParsed(scheme.EndsWith(':') ? scheme : scheme + ":");
    }

    /// <summary><c>https:</c>: any host over HTTPS.</summary>
    public TSelf Https() => Scheme("https:");
}

/// <summary>Sources of <c>base-uri</c>, <c>form-action</c> and <c>frame-ancestors</c>: <c>'self'</c>, <c>'none'</c>, hosts and schemes; no nonces, hashes or keywords.</summary>
public sealed class CspUrlSources : CspUrlSourceListBuilder<CspUrlSources>
{
    internal CspUrlSources()
    {
    }
}

/// <summary>Sources of fetch directives (CSP3 §6.1): URLs plus the schemes used for local content.</summary>
/// <typeparam name="TSelf">The concrete builder.</typeparam>
public abstract class CspFetchSourceListBuilder<TSelf> : CspUrlSourceListBuilder<TSelf>
    where TSelf : CspFetchSourceListBuilder<TSelf>
{
    private protected CspFetchSourceListBuilder()
    {
    }

    /// <summary><c>data:</c>. Fine for images and fonts; never for scripts or objects.</summary>
    public TSelf Data() => Scheme("data:");

    /// <summary><c>blob:</c>, e.g. for workers or media created in the page.</summary>
    public TSelf Blob() => Scheme("blob:");

    /// <summary><c>mediastream:</c>.</summary>
    public TSelf MediaStream() => Scheme("mediastream:");

    /// <summary><c>wss:</c>: WebSockets to any host over TLS (for connect-src). Same-origin WebSockets are already covered by <c>'self'</c> in CSP3 browsers.</summary>
    public TSelf Wss() => Scheme("wss:");
}

/// <summary>Sources of fetch directives for resources that are never inline (img-src, font-src, connect-src, media-src, frame-src, worker-src, object-src…).</summary>
public sealed class CspFetchSources : CspFetchSourceListBuilder<CspFetchSources>
{
    internal CspFetchSources()
    {
    }
}

/// <summary>Sources of directives that govern inline content too (scripts and styles): nonces, hashes and the inline keywords.</summary>
/// <typeparam name="TSelf">The concrete builder.</typeparam>
public abstract class CspInlineSourceListBuilder<TSelf> : CspFetchSourceListBuilder<TSelf>
    where TSelf : CspInlineSourceListBuilder<TSelf>
{
    private protected CspInlineSourceListBuilder()
    {
    }

    /// <summary>
    /// The per-response nonce: adds the placeholder <c>'nonce'</c> (<see cref="CspSource.NoncePlaceholderSource"/>),
    /// which SecureHeaders replaces with <c>'nonce-…'</c> and a fresh value on every response (CSP3 §2.3.1 <c>nonce-source</c>).
    /// </summary>
    public TSelf Nonce() => Add(CspSource.NoncePlaceholderSource);

    /// <summary>A hash source from an algorithm (<c>sha256</c>, <c>sha384</c>, <c>sha512</c>) and a base64 digest; a malformed one is reported by the compiler.</summary>
    public TSelf Hash(string algorithm, string base64Digest)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(base64Digest);
        return AddParsed("'" + algorithm.ToLowerInvariant() + "-" + base64Digest + "'");
    }

    /// <summary>A hash source, e.g. from <see cref="CspSource.HashOf"/> or a <see cref="CspHashManifest"/>.</summary>
    public TSelf Hash(CspSource hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Add(hash);
    }

    /// <summary>The hash of inline content, computed as browsers do (see <see cref="CspHashes.Compute(string, CspHashAlgorithm)"/>).</summary>
    public TSelf HashOf(string inlineContent, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256) => Add(CspHashes.Compute(inlineContent, algorithm));

    /// <summary>
    /// <c>'unsafe-inline'</c>: allows every inline block and attribute. Ignored by browsers when a nonce or hash is
    /// present (CSP3 §6.7.3.3), which is why strict policies keep it as a fallback for old browsers.
    /// </summary>
    public TSelf UnsafeInline() => Add(CspSource.UnsafeInline);

    /// <summary><c>'unsafe-hashes'</c>: lets hashes also allow event-handler and style attributes (CSP3 §6.7.3.3).</summary>
    public TSelf UnsafeHashes() => Add(CspSource.UnsafeHashes);

    /// <summary><c>'report-sample'</c>: violation reports include the first 40 characters of the blocked code.</summary>
    public TSelf ReportSample() => Add(CspSource.ReportSample);
}

/// <summary>Sources of <c>style-src</c> and <c>style-src-elem</c>.</summary>
public sealed class CspStyleSources : CspInlineSourceListBuilder<CspStyleSources>
{
    internal CspStyleSources()
    {
    }
}

/// <summary>Sources of <c>script-src</c>, <c>script-src-elem</c> and <c>default-src</c>: everything a source list can hold.</summary>
public sealed class CspScriptSources : CspInlineSourceListBuilder<CspScriptSources>
{
    internal CspScriptSources()
    {
    }

    /// <summary><c>'strict-dynamic'</c>: scripts trusted through a nonce or hash may load further scripts; hosts, schemes and <c>'self'</c> are then ignored (CSP3 §8.2).</summary>
    public CspScriptSources StrictDynamic() => Add(CspSource.StrictDynamic);

    /// <summary><c>'unsafe-eval'</c>: allows <c>eval()</c> and friends. Avoid it.</summary>
    public CspScriptSources UnsafeEval() => Add(CspSource.UnsafeEval);

    /// <summary><c>'wasm-unsafe-eval'</c>: allows compiling WebAssembly (Blazor WebAssembly needs it) without allowing JavaScript eval.</summary>
    public CspScriptSources WasmUnsafeEval() => Add(CspSource.WasmUnsafeEval);

    /// <summary><c>'inline-speculation-rules'</c>: allows inline <c>&lt;script type="speculationrules"&gt;</c>.</summary>
    public CspScriptSources InlineSpeculationRules() => Add(CspSource.InlineSpeculationRules);
}

/// <summary>Sources of <c>script-src-attr</c> and <c>style-src-attr</c>: attributes have no URL, so only the inline keywords and hashes apply (CSP3 §6.1.11, §6.1.14).</summary>
public sealed class CspAttributeSources : CspSourceListBuilder<CspAttributeSources>
{
    internal CspAttributeSources()
    {
    }

    /// <summary><c>'unsafe-inline'</c>: allows every inline attribute.</summary>
    public CspAttributeSources UnsafeInline() => Add(CspSource.UnsafeInline);

    /// <summary><c>'unsafe-hashes'</c>: needed for hashes to apply to attributes.</summary>
    public CspAttributeSources UnsafeHashes() => Add(CspSource.UnsafeHashes);

    /// <summary>The hash of an attribute value (see <see cref="CspHashes.Compute(string, CspHashAlgorithm)"/>); needs <see cref="UnsafeHashes"/>.</summary>
    public CspAttributeSources HashOf(string attributeValue, CspHashAlgorithm algorithm = CspHashAlgorithm.Sha256) => Add(CspHashes.Compute(attributeValue, algorithm));

    /// <summary>A hash source.</summary>
    public CspAttributeSources Hash(CspSource hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return Add(hash);
    }

    /// <summary><c>'report-sample'</c>.</summary>
    public CspAttributeSources ReportSample() => Add(CspSource.ReportSample);
}

/// <summary>Sandbox flags (CSP3 §6.2.2, HTML "parse a sandboxing directive"). With no flag the sandbox is as strict as it gets.</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the domain's word here.
public enum CspSandboxFlags
#pragma warning restore CA1711
{
    /// <summary>No exception: the strictest sandbox.</summary>
    None = 0,
#pragma warning disable CS1591 // Each flag is the HTML token of the same name.
    AllowDownloads = 1 << 0,
    AllowForms = 1 << 1,
    AllowModals = 1 << 2,
    AllowOrientationLock = 1 << 3,
    AllowPointerLock = 1 << 4,
    AllowPopups = 1 << 5,
    AllowPopupsToEscapeSandbox = 1 << 6,
    AllowPresentation = 1 << 7,
    AllowSameOrigin = 1 << 8,
    AllowScripts = 1 << 9,
    AllowStorageAccessByUserActivation = 1 << 10,
    AllowTopNavigation = 1 << 11,
    AllowTopNavigationByUserActivation = 1 << 12,
    AllowTopNavigationToCustomProtocols = 1 << 13,
#pragma warning restore CS1591
}
