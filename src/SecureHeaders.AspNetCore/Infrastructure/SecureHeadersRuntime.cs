using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureHeaders.AspNetCore.Configuration;
using SecureHeaders.AspNetCore.Metadata;
using SecureHeaders.Configuration;
using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;
using SecureHeaders.Headers;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Everything the middleware needs, compiled once at startup: the default, named and endpoint policies, the path
/// policies, the profile, and the lookups for leaking headers and cookies. Construction validates the whole
/// configuration and throws <see cref="SecureHeadersConfigurationException"/> listing every problem, each once, at the
/// path where it was written: a named policy starts as a copy of the default, so a problem it inherited is reported
/// for the default policy only.
/// </summary>
internal sealed class SecureHeadersRuntime
{
    private readonly FrozenDictionary<string, CompiledPolicy> _named;
    private readonly (string Prefix, CompiledPolicy Policy)[] _pathPolicies;
    private readonly ConcurrentDictionary<Endpoint, CompiledPolicy?> _endpointPolicies = new();
    private readonly ConcurrentDictionary<string, bool> _unknownNamesLogged = new(StringComparer.Ordinal);
    private readonly SecureHeadersOptions _options;
    private readonly ConcurrentDictionary<string, bool> _cachingOverrideLogged = new(StringComparer.Ordinal);
    private bool _nonceReplayActive;
    private readonly CspHashManifest? _hashes;
    private readonly IReadOnlyList<CspSource>? _browserRefresh;
    private readonly ILogger _logger;
    private readonly List<ConfigurationProblem> _defaultProblems = [];
    // Created by the first evaluation, not at startup: a set of value tuples is generic code JIT-compiled on first use.
    private HashSet<(string Check, string? Directive, string? Value)>? _defaultFindings;
    private readonly Lock _evaluationLock = new();
    private readonly bool _evaluateAtStartup;
    private readonly TaskCompletionSource _evaluationGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _evaluationGateOpen;
    private ITimer? _evaluationTimer;
    private Task _evaluations;
    private int _evaluatedPolicies;
    private int _findings;

    public SecureHeadersRuntime(IOptions<SecureHeadersOptions> options, IHostEnvironment environment, ILoggerFactory loggerFactory, ISecureHeadersPolicyProvider? provider = null, IConfiguration? configuration = null, IHostApplicationLifetime? lifetime = null, TimeProvider? time = null, KestrelServerHeader? serverHeader = null)
    {
        _options = options.Value;
        serverHeader?.Decide(_options.RemoveServerHeader);
        _evaluations = _evaluationGate.Task;
        _logger = loggerFactory.CreateLogger("SecureHeaders");
        Provider = provider ?? (_options.PolicySelector is { } selector ? new SelectorPolicyProvider(selector) : null);
        var problems = new ConfigurationProblems();
        foreach (var problem in _options.BindingProblems.All)
        {
            problems.Add(problem);
        }

        Profile = _options.Profile switch
        {
            SecureHeadersProfile.Auto => environment.IsDevelopment() ? SecureHeadersProfile.Development : SecureHeadersProfile.Production,
            var explicitProfile => explicitProfile,
        };

        if (provider is not null && _options.PolicySelector is not null)
        {
            problems.Error("SecureHeaders:PolicySelector", "Both options.PolicySelector and an ISecureHeadersPolicyProvider service are set; only one can choose the policy.",
                "Keep the provider and move the selector's logic into it, or remove the provider registration.");
        }

        // dotnet watch's browser-refresh script and its WebSocket, in Development only (see BrowserRefresh).
        _browserRefresh = Profile == SecureHeadersProfile.Development ? BrowserRefresh.ConnectSources(configuration?[BrowserRefresh.EndpointVariable] ?? Environment.GetEnvironmentVariable(BrowserRefresh.EndpointVariable)) : null;

        // The evaluator's findings are advice, logged as warnings: they need not delay the first response, so the
        // evaluation runs in the background, in order (the default policy first, so that named policies do not repeat
        // its findings), once the first response has completed, so that it does not compete with it for the CPU.
        // Only when findings stop startup (FailOnHighFindingsInProduction in Production) does it run here.
        _evaluateAtStartup = _options.CspEvaluation.FailOnHighFindingsInProduction && Profile == SecureHeadersProfile.Production;
        if (_evaluateAtStartup || !_options.CspEvaluation.Enabled || lifetime is null)
        {
            StartEvaluation();
        }
        else
        {
            // Nor does it wait for traffic forever: EvaluationDelay after startup it runs anyway.
            var clock = time ?? TimeProvider.System;
            lifetime.ApplicationStarted.Register(() =>
            {
                if (EvaluationWaiting)
                {
                    _evaluationTimer = clock.CreateTimer(static state => ((SecureHeadersRuntime)state!).StartEvaluation(), this, EvaluationDelay, Timeout.InfiniteTimeSpan);
                }
            });
        }

        ValidateGlobal(_options, problems);
        _options.ViolationReporting.Validate(problems);
        _hashes = LoadHashManifest(_options.CspHashManifest, environment.ContentRootPath, problems);

        var defaultProblems = new ConfigurationProblems();
        Default = ForDevelopment(PolicyCompiler.Compile(_options, "default", ConfigurationPaths.Root, defaultProblems, _hashes, Reporting));
        _defaultProblems.AddRange(defaultProblems.All);
        foreach (var problem in defaultProblems.All)
        {
            problems.Add(problem);
        }

        var named = new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal);
        // Names collected in a loop: LINQ over the (name, configure) tuples would be JIT-compiled at startup.
        var names = new List<string>(_options.NamedPolicies.Count + _options.NamedPolicySections.Count);
        foreach (var (policyName, _) in _options.NamedPolicies)
        {
            names.Add(policyName);
        }

        names.AddRange(_options.NamedPolicySections.Keys);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            var path = ConfigurationPaths.Root + ":Policies:" + name;
            var found = new ConfigurationProblems();
            var policy = BuildNamedPolicy(name, found);
            var compiled = ForDevelopment(PolicyCompiler.Compile(policy, name, path, found, _hashes, Reporting));
            AddNotInherited(problems, found, path);
            if (compiled is not null)
            {
                named[name] = compiled;
            }
        }

        _named = named.ToFrozenDictionary(StringComparer.Ordinal);
        _pathPolicies = CompilePathPolicies(problems);

        Evaluate(Default, ConfigurationPaths.Root, problems, isDefault: true);
        foreach (var (name, compiled) in _named)
        {
            Evaluate(compiled, ConfigurationPaths.Root + ":Policies:" + name, problems, isDefault: false);
        }

        LeakingHeaders = SecureHeaders.Policies.LeakingHeaders.ToLookup(_options.RemoveHeaders);
        Cookies = new CookieRules(_options.Cookies);

        Report(problems);
        if (Profile == SecureHeadersProfile.Production)
        {
            var missing = new List<string>();
            if (!_options.StrictTransportSecurity.Enabled)
            {
                missing.Add("HSTS");
            }

            if (!_options.ForceHttps.Enabled)
            {
                missing.Add("the HTTPS redirect");
            }

            if (missing.Count > 0)
            {
                SecureHeadersLog.ProductionWithoutHttpsProtection(_logger, string.Join(" and ", missing));
            }
        }
    }

    public SecureHeadersProfile Profile { get; }

    /// <summary>Under dotnet watch in Development, the policy with the watcher's WebSocket allowed in connect-src.</summary>
    private CompiledPolicy? ForDevelopment(CompiledPolicy? policy) =>
        policy is null || _browserRefresh is null ? policy : policy.WithFetchSources(CspDirectives.ConnectSrc, _browserRefresh);

    /// <summary>
    /// Set once a nonce was created under a server-side cache, or at startup when output caching is registered (its
    /// store may outlive the process); from then on responses go through <see cref="NonceBody"/>.
    /// </summary>
    public bool NonceReplayActive
    {
        get => Volatile.Read(ref _nonceReplayActive);
        set => Volatile.Write(ref _nonceReplayActive, value);
    }

    /// <summary>Set when the main pipeline runs the middleware; branch middleware then steps aside.</summary>
    public bool RootEnabled { get; set; }

    /// <summary>How many pipeline branches called UseSecureHeaders() themselves.</summary>
    public int BranchUses { get; set; }

    public CompiledPolicy? Default { get; }

    public FrozenSet<string> LeakingHeaders { get; }

    public CookieRules Cookies { get; }

    public ForceHttpsOptions ForceHttps => _options.ForceHttps;

    public bool CoverUnhandledExceptions => _options.CoverUnhandledExceptions;

    /// <summary>The per-request policy choice, when the application has one (a provider service or <see cref="SecureHeadersOptions.PolicySelector"/>).</summary>
    public ISecureHeadersPolicyProvider? Provider { get; }

    public bool HasPathPolicies => _pathPolicies.Length > 0;

    private ViolationReportingOptions? Reporting => _options.ViolationReporting.Url is null ? null : _options.ViolationReporting;

    public ILogger Logger => _logger;

    public int PolicyCount => 1 + _named.Count;

    /// <summary>The import maps of the app's endpoints, hashed into their policies; null when no endpoint has one.</summary>
    public FrameworkAssets? ImportMaps { get; private set; }

    /// <summary>The app's static scripts, whose tags in pages get the nonce; null when off or when no policy needs it.</summary>
    public FrameworkAssets? ScriptNonces { get; private set; }

    /// <summary>True when some policy of the app lets scripts in by nonce.</summary>
    public bool AnyScriptNonce { get; private set; }

    private bool ComputeAnyScriptNonce()
    {
        if (Default is { ScriptsUseNonce: true })
        {
            return true;
        }

        foreach (var (_, policy) in _named)
        {
            if (policy.ScriptsUseNonce)
            {
                return true;
            }
        }

        foreach (var (_, policy) in _endpointPolicies)
        {
            if (policy is { ScriptsUseNonce: true })
            {
                return true;
            }
        }

        return _pathPolicies.Length > 0 && Array.Exists(_pathPolicies, static p => p.Policy.ScriptsUseNonce);
    }

    /// <summary>True the first time a given endpoint's own Cache-Control is replaced for a nonce page, to log it once.</summary>
    public bool FirstCachingOverride(string endpoint) => _cachingOverrideLogged.Count < 1000 && _cachingOverrideLogged.TryAdd(endpoint, true);

    public CompiledPolicy? FindNamed(string name) => _named.GetValueOrDefault(name);

    /// <summary>The hash manifest applied to every CSP, when configured.</summary>
    public CspHashManifest? HashManifest => _hashes;

    /// <summary>Every compiled policy: the default, the named ones and the endpoint policies compiled so far (for violation-report learning).</summary>
    public IEnumerable<CompiledPolicy> CompiledPolicies()
    {
        if (Default is not null)
        {
            yield return Default;
        }

        foreach (var policy in _named.Values)
        {
            yield return policy;
        }

        foreach (var policy in _endpointPolicies.Values)
        {
            if (policy is not null && !ReferenceEquals(policy, Default) && !_named.Values.Contains(policy))
            {
                yield return policy;
            }
        }
    }

    /// <summary>How long after the application started the background CSP evaluation runs if no response has started it.</summary>
    public static readonly TimeSpan EvaluationDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// True until the background CSP evaluation may run: it waits for the first response to complete (or
    /// <see cref="EvaluationDelay"/> after startup), so that advice never competes with the first request for the CPU.
    /// </summary>
    public bool EvaluationWaiting => Volatile.Read(ref _evaluationGateOpen) == 0;

    /// <summary>Lets the queued CSP evaluations run (idempotent).</summary>
    public void StartEvaluation()
    {
        if (Interlocked.Exchange(ref _evaluationGateOpen, 1) == 0)
        {
            _evaluationGate.TrySetResult();
            Interlocked.Exchange(ref _evaluationTimer, null)?.Dispose();
        }
    }

    /// <summary>
    /// Completes when the CSP evaluation of every policy compiled so far has been logged (it runs in the background
    /// unless its findings can stop startup). Asking for it starts the evaluation.
    /// </summary>
    public Task EvaluationCompleted
    {
        get
        {
            StartEvaluation();
            lock (_evaluationLock)
            {
                return _evaluations;
            }
        }
    }

    /// <summary>
    /// Compiles the policies of every endpoint that carries SecureHeaders metadata, so that configuration errors
    /// in <c>.WithSecureHeaders(...)</c> or attributes stop startup instead of failing a request.
    /// </summary>
    public void CompileEndpoints(IEnumerable<EndpointDataSource> dataSources, Microsoft.Extensions.FileProviders.IFileProvider? webRoot = null)
    {
        var problems = new ConfigurationProblems();
        foreach (var source in dataSources)
        {
            foreach (var endpoint in source.Endpoints)
            {
                if (endpoint.Metadata.GetMetadata<ISecureHeadersMetadata>() is not null)
                {
                    _endpointPolicies[endpoint] = CompileEndpoint(endpoint, problems);
                }
            }
        }

        Report(problems);

        var assets = FrameworkAssets.Discover(dataSources, webRoot, _browserRefresh is null ? [] : [BrowserRefresh.ScriptPath]);
        ImportMaps = assets.HasImportMaps ? assets : null;
        AnyScriptNonce = ComputeAnyScriptNonce();
        ScriptNonces = assets.HasPages && _options.NonceStaticScripts && AnyScriptNonce ? assets : null;
    }

    /// <summary>
    /// The policy chosen without the provider. Precedence, most specific first:
    /// 1. endpoint metadata — the last enable/disable on the endpoint or its groups, plus every inline change after it
    ///    (also when a middleware cleared the endpoint before the response started, see <see cref="RememberedEndpoint"/>);
    /// 2. a path policy (<c>PathPolicies</c>, longest prefix), for endpoints the application does not own;
    /// 3. <see langword="null"/> with <paramref name="decided"/> false: the provider, then the default policy, decide.
    /// </summary>
    public CompiledPolicy? ResolveStatic(HttpContext context, out bool disabled, out bool decided)
    {
        disabled = false;
        decided = true;
        var endpoint = RequestFeatures.Endpoint(context) ?? (RememberedEndpoint.InUse ? RequestFeatures.Remembered(context)?.Endpoint : null);
        if (endpoint is not null && endpoint.Metadata.GetMetadata<ISecureHeadersMetadata>() is not null)
        {
            // The static lambda and its argument keep this allocation-free: a method group of an instance method
            // would be a new delegate on every response.
            var policy = _endpointPolicies.GetOrAdd(endpoint, static (endpoint, runtime) => runtime.CompileDynamicEndpoint(endpoint), this);
            disabled = policy is null;
            return policy;
        }

        if (_pathPolicies.Length > 0 && FindPathPolicy(context.Request) is { } pathPolicy)
        {
            return pathPolicy;
        }

        decided = false;
        return Default;
    }

    /// <summary>The named policy a provider chose; an unknown name is logged once and fails the response.</summary>
    public CompiledPolicy? Named(string? name)
    {
        if (name is null)
        {
            return Default;
        }

        if (_named.TryGetValue(name, out var policy))
        {
            return policy;
        }

        var message = $"The SecureHeaders policy provider chose '{name}', which is not a policy name, so the response cannot get its headers. Known: {(_named.Count == 0 ? "none" : string.Join(", ", _named.Keys))}.";
        if (_unknownNamesLogged.TryAdd(name, true))
        {
            SecureHeadersLog.ApplyFailed(_logger, message);
        }

        throw new InvalidOperationException(message);
    }

    private CompiledPolicy? FindPathPolicy(HttpRequest request)
    {
        // PathBase + Path is the path the client asked for, whichever branch the response is written in.
        var pathBase = request.PathBase.Value ?? string.Empty;
        var path = request.Path.Value ?? string.Empty;
        foreach (var (prefix, policy) in _pathPolicies)
        {
            if (StartsWithSegment(pathBase, path, prefix))
            {
                return policy;
            }
        }

        return null;
    }

    private static bool StartsWithSegment(string pathBase, string path, string prefix)
    {
        var total = pathBase.Length + path.Length;
        if (total < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            var c = i < pathBase.Length ? pathBase[i] : path[i - pathBase.Length];
            if (char.ToLowerInvariant(c) != char.ToLowerInvariant(prefix[i]))
            {
                return false;
            }
        }

        if (total == prefix.Length || prefix[^1] == '/')
        {
            return true;
        }

        var next = prefix.Length < pathBase.Length ? pathBase[prefix.Length] : path[prefix.Length - pathBase.Length];
        return next == '/';
    }

    private (string Prefix, CompiledPolicy Policy)[] CompilePathPolicies(ConfigurationProblems problems)
    {
        var result = new List<(string, CompiledPolicy)>();
        foreach (var (prefix, name) in _options.PathPolicies)
        {
            var path = ConfigurationPaths.Root + ":PathPolicies:" + prefix;
            if (prefix.Length == 0 || prefix[0] != '/' || prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal))
            {
                problems.Error(path, $"\"{Printable(prefix)}\" is not a path prefix.", "Start it with '/', e.g. /swagger.");
                continue;
            }

            if (!_named.TryGetValue(name, out var policy))
            {
                problems.Error(path, $"The path policy names \"{Printable(name)}\", which is not a policy.", NamedFix(name));
                continue;
            }

            result.Add((prefix.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/", policy));
        }

        // Most apps have none; sorting nothing would still JIT-compile LINQ over value tuples at startup.
        return result.Count == 0 ? [] : [.. result.OrderByDescending(static p => p.Item1.Length)];
    }

    private string NamedFix(string name) =>
        _named.Count == 0 ? $"Add it with options.AddPolicy(\"{name}\", p => ...) or under SecureHeaders:Policies:{name}." : "Known policies: " + string.Join(", ", _named.Keys) + ".";

    private static string Printable(string value) => HeaderCompiler.Printable(value);

    private CompiledPolicy? CompileDynamicEndpoint(Endpoint endpoint)
    {
        // Endpoints added after startup (dynamic data sources) are compiled on first use; errors then fail loudly here.
        var problems = new ConfigurationProblems();
        var policy = CompileEndpoint(endpoint, problems);
        Report(problems);
        return policy;
    }

    private CompiledPolicy? CompileEndpoint(Endpoint endpoint, ConfigurationProblems problems)
    {
        var metadata = endpoint.Metadata.GetOrderedMetadata<ISecureHeadersMetadata>();
        SecureHeadersPolicy? basePolicy = _options;
        string? baseName = null;
        var changes = new List<Action<SecureHeadersPolicy>>();
        foreach (var item in metadata)
        {
            switch (item)
            {
                case IDisableSecureHeadersMetadata:
                    basePolicy = null;
                    changes.Clear();
                    break;
                case IEnableSecureHeadersMetadata enable:
                    basePolicy = _options;
                    baseName = enable.PolicyName;
                    changes.Clear();
                    break;
                case ISecureHeadersPolicyMetadata inline:
                    basePolicy ??= _options;
                    changes.Add(inline.Configure);
                    break;
            }
        }

        var endpointPath = $"{ConfigurationPaths.Root} (endpoint '{endpoint.DisplayName}')";
        if (basePolicy is null)
        {
            return null;
        }

        if (baseName is not null && !_named.ContainsKey(baseName))
        {
            problems.Error(endpointPath, $"The endpoint uses the SecureHeaders policy '{baseName}', which is not defined.", NamedFix(baseName));
            return null;
        }

        if (changes.Count == 0)
        {
            return baseName is null ? Default : _named[baseName];
        }

        var found = new ConfigurationProblems();
        var policy = baseName is null ? _options.Clone() : BuildNamedPolicy(baseName, found);
        foreach (var change in changes)
        {
            change(policy);
        }

        // Each endpoint policy has a name of its own (base policy and route), so its violation reports are attributed to it alone.
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "endpoint";
        var compiledEndpoint = ForDevelopment(PolicyCompiler.Compile(policy, (baseName ?? "default") + "@" + route, endpointPath, found, _hashes, Reporting));
        AddNotInherited(problems, found, endpointPath);
        Evaluate(compiledEndpoint, endpointPath, problems, isDefault: false);
        return compiledEndpoint;
    }

    /// <summary>
    /// A named policy's options: a copy of the default policy, changed by the code that added it, then by its
    /// configuration section (configuration wins, as for the default policy).
    /// </summary>
    private SecureHeadersPolicy BuildNamedPolicy(string name, ConfigurationProblems problems)
    {
        var policy = _options.Clone();
        foreach (var (policyName, configure) in _options.NamedPolicies)
        {
            if (policyName == name)
            {
                configure(policy);
            }
        }

        if (_options.NamedPolicySections.TryGetValue(name, out var section))
        {
            SecureHeadersSettings.BindPolicy(section, policy, problems);
        }

        return policy;
    }

    /// <summary>
    /// Adds the problems found in a policy derived from the default one, except those it inherited: the same problem
    /// at the same place relative to the policy was already reported for the default policy, where it was written.
    /// </summary>
    private void AddNotInherited(ConfigurationProblems target, ConfigurationProblems found, string policyPath)
    {
        foreach (var problem in found.All)
        {
            if (problem.Path.StartsWith(policyPath, StringComparison.Ordinal))
            {
                var relative = problem.Path[policyPath.Length..];
                var inherited = _defaultProblems.Exists(d => d.Message == problem.Message && d.Path == ConfigurationPaths.Root + relative);
                if (inherited)
                {
                    continue;
                }
            }

            target.Add(problem);
        }
    }

    /// <summary>
    /// Runs the CSP evaluator on a compiled policy's content security policies and logs what it finds; with
    /// <see cref="CspEvaluationSettings.FailOnHighFindingsInProduction"/>, high and syntax findings stop startup. A
    /// finding the default policy already had is not repeated for the policies copied from it, and a finding about a
    /// reporting directive SecureHeaders added itself is not the user's to fix.
    /// </summary>
    private void Evaluate(CompiledPolicy? policy, string path, ConfigurationProblems problems, bool isDefault)
    {
        if (policy is null || !_options.CspEvaluation.Enabled)
        {
            return;
        }

        if (_evaluateAtStartup)
        {
            lock (_evaluationLock)
            {
                EvaluateNow(policy, path, problems, isDefault, fail: true);
            }

            return;
        }

        lock (_evaluationLock)
        {
            _evaluations = _evaluations.ContinueWith(
                _ => EvaluateInBackground(policy, path, isDefault), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void EvaluateInBackground(CompiledPolicy policy, string path, bool isDefault)
    {
        try
        {
            // Findings only log here; the problems list is a sink (fail is false).
            EvaluateNow(policy, path, new ConfigurationProblems(), isDefault, fail: false);
        }
        catch (Exception ex)
        {
            // Advice must never take the application down; say that it is missing instead.
            CspEvaluationLog.CspEvaluationFailed(_logger, policy.Name, ex);
        }

        var evaluated = Interlocked.Increment(ref _evaluatedPolicies);
        CspEvaluationLog.CspEvaluationCompleted(_logger, policy.Name, evaluated, Volatile.Read(ref _findings));
    }

    private void EvaluateNow(CompiledPolicy policy, string path, ConfigurationProblems problems, bool isDefault, bool fail)
    {
        var xfo = policy.Find(XFrameOptionsHeader.Name);
        var templates = policy.ReportOnlyPolicies.Select(static t => (Template: t, ReportOnly: true)).ToList();
        if (policy.ContentSecurityPolicy is { } enforced)
        {
            templates.Insert(0, (enforced, false));
        }

        foreach (var (template, reportOnly) in templates)
        {
            var findings = CspEvaluator.Evaluate(template.Policy, new CspEvaluationOptions { ConfiguredPolicy = true, ReportOnly = reportOnly, XFrameOptions = xfo });
            foreach (var finding in findings)
            {
                if (policy.AddedByLibrary(finding.Directive))
                {
                    continue;
                }

                var key = (finding.Check, finding.Directive, finding.Value);
                if (isDefault)
                {
                    (_defaultFindings ??= []).Add(key);
                }
                else if (_defaultFindings?.Contains(key) == true)
                {
                    continue;
                }

                Interlocked.Increment(ref _findings);
                var serious = finding.Severity is CspFindingSeverity.High or CspFindingSeverity.Syntax;
                if (serious)
                {
                    CspEvaluationLog.CspFinding(_logger, policy.Name, finding.Check, finding.SeverityName, finding.ToString());
                    if (fail)
                    {
                        problems.Error(path + (reportOnly ? ":ContentSecurityPolicyReportOnly" : ":ContentSecurityPolicy"), finding.Message, finding.Fix);
                    }
                }
                else
                {
                    CspEvaluationLog.CspFindingDetail(_logger, policy.Name, finding.Check, finding.SeverityName, finding.ToString());
                }
            }
        }
    }

    private static CspHashManifest? LoadHashManifest(string? path, string contentRoot, ConfigurationProblems problems)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var fullPath = Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
        try
        {
            return CspHashManifest.Load(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException or InvalidDataException)
        {
            problems.Error(ConfigurationPaths.Root + ":CspHashManifest", $"The hash manifest {fullPath} cannot be read: {ex.Message}",
                "Create it with `secureheaders csp hash Pages Views --manifest csp-hashes.json` and give its path relative to the content root.");
            return null;
        }
    }

    private void Report(ConfigurationProblems problems)
    {
        var logged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var problem in problems.All)
        {
            if (problem.Severity == ProblemSeverity.Warning && logged.Add(problem.ToString()))
            {
                SecureHeadersLog.ConfigurationWarning(_logger, problem.ToString());
            }
        }

        problems.ThrowIfErrors();
    }

    private static void ValidateGlobal(SecureHeadersOptions options, ConfigurationProblems problems)
    {
        if (options.ForceHttps.HttpsPort is { } port && port is < 1 or > 65535)
        {
            problems.Error("SecureHeaders:ForceHttps:HttpsPort", $"{port} is not a TCP port.", "Use a number between 1 and 65535, usually 443.");
        }

        foreach (var path in options.ForceHttps.ExemptPaths)
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/')
            {
                problems.Error("SecureHeaders:ForceHttps:ExemptPaths", $"\"{path}\" is not a path.", "Start each exempt path with '/', e.g. /healthz.");
            }
        }

        if (options.ForceHttps.CanonicalHost is { } canonical && !ForceHttpsMiddleware.IsHostName(canonical))
        {
            problems.Error("SecureHeaders:ForceHttps:CanonicalHost", $"\"{canonical}\" is not a host name or IP address.",
                "Give the host alone, e.g. www.example.com: no scheme, port, path or wildcard (the port is ForceHttps:HttpsPort).");
        }

        CookieRules.Validate(options.Cookies, problems);
        foreach (var name in options.RemoveHeaders)
        {
            if (!Internal.HttpTokens.IsToken(name))
            {
                problems.Error("SecureHeaders:RemoveHeaders", $"\"{name}\" is not a header name.", "List header names such as X-Powered-By.");
            }
        }
    }

    /// <summary>Adapts <see cref="SecureHeadersOptions.PolicySelector"/> to the provider interface.</summary>
    private sealed class SelectorPolicyProvider(Func<HttpContext, string?> selector) : ISecureHeadersPolicyProvider
    {
        public ValueTask<string?> GetPolicyNameAsync(HttpContext context) => new(selector(context));
    }
}
