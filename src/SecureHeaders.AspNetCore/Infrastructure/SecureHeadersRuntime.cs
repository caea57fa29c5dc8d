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
using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Everything the middleware needs, compiled once at startup: the default, named and endpoint policies, the
/// profile, and the lookups for leaking headers and cookies. Construction validates the whole configuration and
/// throws <see cref="SecureHeadersConfigurationException"/> listing every problem.
/// </summary>
internal sealed class SecureHeadersRuntime
{
    private readonly FrozenDictionary<string, CompiledPolicy> _named;
    private readonly ConcurrentDictionary<Endpoint, CompiledPolicy?> _endpointPolicies = new();
    private readonly SecureHeadersOptions _options;
    private readonly CspHashManifest? _hashes;
    private readonly ILogger _logger;

    public SecureHeadersRuntime(IOptions<SecureHeadersOptions> options, IHostEnvironment environment, ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _logger = loggerFactory.CreateLogger("SecureHeaders");
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

        ValidateGlobal(_options, problems);
        _options.ViolationReporting.Validate(problems);
        _hashes = LoadHashManifest(_options.CspHashManifest, environment.ContentRootPath, problems);
        Default = PolicyCompiler.Compile(_options, "default", "SecureHeaders", problems, _hashes, Reporting);

        var named = new Dictionary<string, CompiledPolicy>(StringComparer.Ordinal);
        foreach (var name in _options.NamedPolicies.Select(static p => p.Name).Concat(_options.NamedPolicySections.Keys).Distinct(StringComparer.Ordinal))
        {
            var policy = BuildNamedPolicy(name, problems);
            if (PolicyCompiler.Compile(policy, name, "SecureHeaders:Policies:" + name, problems, _hashes, Reporting) is { } compiled)
            {
                named[name] = compiled;
            }
        }

        _named = named.ToFrozenDictionary(StringComparer.Ordinal);
        Evaluate(Default, "SecureHeaders", problems);
        foreach (var (name, compiled) in _named)
        {
            Evaluate(compiled, "SecureHeaders:Policies:" + name, problems);
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

    public CompiledPolicy? Default { get; }

    public FrozenSet<string> LeakingHeaders { get; }

    public CookieRules Cookies { get; }

    public ForceHttpsOptions ForceHttps => _options.ForceHttps;

    public bool CoverUnhandledExceptions => _options.CoverUnhandledExceptions;

    private ViolationReportingOptions? Reporting => _options.ViolationReporting.Url is null ? null : _options.ViolationReporting;

    public Func<HttpContext, string?>? PolicySelector => _options.PolicySelector;

    public ILogger Logger => _logger;

    public int PolicyCount => 1 + _named.Count;

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

    /// <summary>
    /// Compiles the policies of every endpoint that carries SecureHeaders metadata, so that configuration errors
    /// in <c>.WithSecureHeaders(...)</c> or attributes stop startup instead of failing a request.
    /// </summary>
    public void CompileEndpoints(IEnumerable<EndpointDataSource> dataSources)
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
    }

    /// <summary>
    /// The policy for a response. Precedence, most specific first: endpoint metadata (the last
    /// enable/disable on the endpoint or its groups, plus every inline change after it) → the per-request
    /// selector → the default policy.
    /// </summary>
    public CompiledPolicy? Resolve(HttpContext context, out bool disabled)
    {
        disabled = false;
        var endpoint = context.GetEndpoint();
        if (endpoint is not null && endpoint.Metadata.GetMetadata<ISecureHeadersMetadata>() is not null)
        {
            var policy = _endpointPolicies.GetOrAdd(endpoint, CompileDynamicEndpoint);
            disabled = policy is null;
            return policy;
        }

        if (PolicySelector is { } selector && selector(context) is { } name)
        {
            return FindNamed(name) ?? throw new InvalidOperationException($"The SecureHeaders policy selector returned '{name}', which is not a policy name. Known: {string.Join(", ", _named.Keys)}.");
        }

        return Default;
    }

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

        var endpointPath = $"SecureHeaders (endpoint '{endpoint.DisplayName}')";
        if (basePolicy is null)
        {
            return null;
        }

        if (baseName is not null && !_named.ContainsKey(baseName))
        {
            problems.Error(endpointPath, $"The endpoint uses the SecureHeaders policy '{baseName}', which is not defined.",
                _named.Count == 0 ? "Add it with options.AddPolicy(\"" + baseName + "\", p => ...) or under SecureHeaders:Policies." : "Known policies: " + string.Join(", ", _named.Keys) + ".");
            return null;
        }

        if (changes.Count == 0)
        {
            return baseName is null ? Default : _named[baseName];
        }

        var policy = baseName is null ? _options.Clone() : BuildNamedPolicy(baseName, problems);

        foreach (var change in changes)
        {
            change(policy);
        }

        // Each endpoint policy has a name of its own (base policy and route), so its violation reports are attributed to it alone.
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "endpoint";
        var compiledEndpoint = PolicyCompiler.Compile(policy, (baseName ?? "default") + "@" + route, endpointPath, problems, _hashes, Reporting);
        Evaluate(compiledEndpoint, endpointPath, problems);
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
            SecureHeadersConfigurationBinder.BindPolicy(section, policy, problems);
        }

        return policy;
    }

    /// <summary>
    /// Runs the CSP evaluator on a compiled policy's content security policies and logs what it finds; with
    /// <see cref="CspEvaluationSettings.FailOnHighFindingsInProduction"/>, high and syntax findings stop startup.
    /// </summary>
    private void Evaluate(CompiledPolicy? policy, string path, ConfigurationProblems problems)
    {
        if (policy is null || !_options.CspEvaluation.Enabled)
        {
            return;
        }

        var xfo = policy.Find(Headers.XFrameOptionsHeader.Name);
        var fail = _options.CspEvaluation.FailOnHighFindingsInProduction && Profile == SecureHeadersProfile.Production;
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
                var serious = finding.Severity is CspFindingSeverity.High or CspFindingSeverity.Syntax;
                if (serious)
                {
                    SecureHeadersLog.CspFinding(_logger, policy.Name, finding.Check, finding.SeverityName, finding.ToString());
                    if (fail)
                    {
                        problems.Error(path + (reportOnly ? ":ContentSecurityPolicyReportOnly" : ":ContentSecurityPolicy"), finding.Message, finding.Fix);
                    }
                }
                else
                {
                    SecureHeadersLog.CspFindingDetail(_logger, policy.Name, finding.Check, finding.SeverityName, finding.ToString());
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
            problems.Error("SecureHeaders:CspHashManifest", $"The hash manifest {fullPath} cannot be read: {ex.Message}",
                "Create it with `secureheaders csp hash Pages Views --manifest csp-hashes.json` and give its path relative to the content root.");
            return null;
        }
    }

    private void Report(ConfigurationProblems problems)
    {
        foreach (var problem in problems.All)
        {
            if (problem.Severity == ProblemSeverity.Warning)
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

        CookieRules.Validate(options.Cookies, problems);
        foreach (var name in options.RemoveHeaders)
        {
            if (!Internal.HttpTokens.IsToken(name))
            {
                problems.Error("SecureHeaders:RemoveHeaders", $"\"{name}\" is not a header name.", "List header names such as X-Powered-By.");
            }
        }
    }
}
