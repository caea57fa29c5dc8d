using System.Collections.Immutable;

namespace SecureHeaders.Csp;

/// <summary>Options of <see cref="CspPolicyCompiler"/>.</summary>
public sealed record CspCompileOptions
{
    /// <summary>The policy is sent as <c>Content-Security-Policy-Report-Only</c>: without report-uri or report-to it is reported (warning).</summary>
    public bool ReportOnly { get; init; }
}

/// <summary>A compiled policy and everything validation found. Deconstructs into <c>(policy, diagnostics)</c>.</summary>
/// <param name="Policy">The policy, normalised: one source per token, directives in the order given, duplicates dropped.</param>
/// <param name="Diagnostics">Every problem at once, each with the directive and, where there is one, a fix.</param>
public sealed record CspCompilation(CspPolicy Policy, ImmutableArray<CspDiagnostic> Diagnostics)
{
    /// <summary>True when a diagnostic is an error; the middleware refuses to start with such a policy.</summary>
    public bool HasErrors => Diagnostics.Any(static d => d.Severity == CspDiagnosticSeverity.Error);

    /// <summary>The errors only.</summary>
    public IEnumerable<CspDiagnostic> Errors => Diagnostics.Where(static d => d.Severity == CspDiagnosticSeverity.Error);

    /// <summary>Returns the policy, or throws <see cref="CspValidationException"/> listing every error.</summary>
    public CspPolicy GetPolicyOrThrow() => HasErrors ? throw new CspValidationException([.. Errors]) : Policy;
}

/// <summary>A configured policy has errors; <see cref="Diagnostics"/> lists all of them with their fixes.</summary>
public sealed class CspValidationException : Exception
{
    /// <summary>Creates the exception from the errors.</summary>
    public CspValidationException(IReadOnlyList<CspDiagnostic> diagnostics)
        : base(Describe(diagnostics)) => Diagnostics = diagnostics;

    /// <summary>The errors.</summary>
    public IReadOnlyList<CspDiagnostic> Diagnostics { get; }

    private static string Describe(IReadOnlyList<CspDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return "The Content-Security-Policy is invalid:" + string.Concat(diagnostics.Select(static d => Environment.NewLine + " - " + (d.Directive is null ? string.Empty : d.Directive + ": ") + d));
    }
}

/// <summary>
/// Turns a policy written in code (<see cref="CspBuilder"/>), in configuration (a Talisman-style dictionary such as
/// <c>"script-src": ["'self'", "https://cdn.example.com"]</c>) or as text into one validated <see cref="CspPolicy"/>.
/// This is what the middleware calls at startup: all forms go through the same validation
/// (<see cref="CspParser.ValidateDirective"/> in <see cref="CspParseMode.Configuration"/> plus the policy-wide rules
/// below), and every problem is returned at once.
/// </summary>
/// <remarks>
/// Policy-wide rules, on top of the per-directive ones: an empty policy is an error; <c>'strict-dynamic'</c>
/// without a nonce (or the <c>'nonce'</c> placeholder) or hash in the same directive is an error (it blocks every
/// script); a literal <c>'nonce-…'</c> is an error (it would never change); a Report-Only policy without
/// <c>report-uri</c>/<c>report-to</c> is a warning.
/// </remarks>
public static class CspPolicyCompiler
{
    /// <summary>Compiles a builder.</summary>
    public static CspCompilation Compile(CspBuilder builder, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Compile(builder.Build(), options);
    }

    /// <summary>Compiles what a builder callback writes: <c>Compile(b =&gt; b.DefaultSrc(s =&gt; s.Self()))</c>.</summary>
    public static CspCompilation Compile(Action<CspBuilder> configure, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new CspBuilder();
        configure(builder);
        return Compile(builder, options);
    }

    /// <summary>Compiles a policy object, re-validating every value.</summary>
    public static CspCompilation Compile(CspPolicy policy, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var core = new Core(options);
        foreach (var d in policy.Directives)
        {
            core.Add(d.Name, d.Values.Select(static v => v.Text));
        }

        return core.Finish();
    }

    /// <summary>Compiles a serialized policy written in configuration (<c>'nonce'</c> placeholder allowed).</summary>
    public static CspCompilation Compile(string serialized, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(serialized);
        var parsed = CspParser.Parse(serialized, CspParseMode.Configuration);
        var diagnostics = parsed.Diagnostics.ToBuilder();
        PolicyRules(parsed.Policy, options, diagnostics);
        return new(parsed.Policy, diagnostics.ToImmutable());
    }

    /// <summary>
    /// Compiles the dictionary form: directive name → values. Each value may hold several space-separated sources
    /// (<c>"'self' https://cdn.example.com"</c>). Names are case-insensitive and may be camelCase
    /// (<c>scriptSrc</c>); directives without values (<c>upgrade-insecure-requests</c>) take an empty list.
    /// </summary>
    public static CspCompilation Compile(IReadOnlyDictionary<string, IReadOnlyList<string>> directives, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directives);
        return CompileLists(directives, options);
    }

    /// <summary>The dictionary form with arrays, as configuration binding produces it.</summary>
    public static CspCompilation Compile(IReadOnlyDictionary<string, string[]> directives, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directives);
        return CompileLists(directives, options);
    }

    /// <summary>Both list forms of the dictionary (values are reference types, so this shares precompiled code).</summary>
    private static CspCompilation CompileLists<TValues>(IEnumerable<KeyValuePair<string, TValues>> directives, CspCompileOptions? options)
        where TValues : class, IEnumerable<string>
    {
        var core = new Core(options);
        foreach (var d in directives)
        {
            core.Add(d.Key, d.Value);
        }

        return core.Finish();
    }

    /// <summary>The dictionary form with one space-separated string per directive: <c>"script-src": "'self' https://cdn.example.com"</c>.</summary>
    public static CspCompilation Compile(IReadOnlyDictionary<string, string> directives, CspCompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directives);
        var core = new Core(options);
        foreach (var d in directives)
        {
            core.Add(d.Key, d.Value is null ? null : [d.Value]);
        }

        return core.Finish();
    }

    /// <summary>
    /// The dictionary and object forms, one directive at a time. Fed by plain loops rather than a LINQ projection to
    /// tuples: generic code over value tuples is compiled at run time, which the startup path pays for.
    /// </summary>
    private sealed class Core(CspCompileOptions? options)
    {
        private readonly ImmutableArray<CspDiagnostic>.Builder _diagnostics = ImmutableArray.CreateBuilder<CspDiagnostic>();
        private readonly List<CspDirective> _directives = [];

        public void Add(string? rawName, IEnumerable<string>? rawValues)
        {
            var name = NormalizeName(rawName ?? string.Empty);
            var values = (rawValues ?? []).Where(static v => v is not null).ToList();
            var found = CspParser.ValidateDirective(name, values, CspParseMode.Configuration);
            _diagnostics.AddRange(found);
            if (found.Any(static d => d.Code is CspDiagnosticCode.InvalidDirectiveName or CspDiagnosticCode.ControlCharacter or CspDiagnosticCode.SemicolonInValue or CspDiagnosticCode.CommaInPolicy))
            {
                return; // Never put text into a header that could split or extend it.
            }

            if (_directives.Exists(d => d.Name == name))
            {
                _diagnostics.Add(new(CspDiagnosticCode.DuplicateDirective, CspDiagnosticSeverity.Error,
                    $"{name} is configured twice (\"{rawName}\"); a policy holds each directive once.", name, null, $"Merge the values into one {name} entry."));
                return;
            }

            var tokens = values.SelectMany(static v => v.Split(CspParser.AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries));
            _directives.Add(new CspDirective(name, CspDirective.Classify(name, tokens)));
        }

        public CspCompilation Finish()
        {
            var policy = CspPolicy.Create(_directives);
            PolicyRules(policy, options, _diagnostics);
            return new(policy, _diagnostics.ToImmutable());
        }
    }

    /// <summary>Lower-cases and turns camelCase (<c>scriptSrc</c>, <c>ScriptSrc</c>) into the directive name when that names a known directive.</summary>
    private static string NormalizeName(string name)
    {
        var trimmed = name.Trim();
        if (!trimmed.Contains('-', StringComparison.Ordinal) && trimmed.Any(char.IsAsciiLetterUpper))
        {
            var kebab = Internal.Kebab.FromPascal(char.ToLowerInvariant(trimmed[0]) + trimmed[1..]);
            if (CspDirectives.IsKnown(kebab))
            {
                return kebab;
            }
        }

        return trimmed.ToLowerInvariant();
    }

    private static void PolicyRules(CspPolicy policy, CspCompileOptions? options, ImmutableArray<CspDiagnostic>.Builder diagnostics)
    {
        if (policy.IsEmpty && !diagnostics.Any(static d => d.Code == CspDiagnosticCode.EmptyPolicy))
        {
            diagnostics.Add(new(CspDiagnosticCode.EmptyPolicy, CspDiagnosticSeverity.Error, "The policy has no directives, so it enforces nothing.",
                null, null, "Start from a preset such as CspPresets.Basic (default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none')."));
        }

        foreach (var directive in policy.Directives)
        {
            if (directive.Contains(CspSource.StrictDynamic)
                && !directive.Has(CspSourceKind.Nonce) && !directive.Has(CspSourceKind.Hash) && !directive.Has(CspSourceKind.NoncePlaceholder))
            {
                diagnostics.Add(new(CspDiagnosticCode.StrictDynamicWithoutNonceOrHash, CspDiagnosticSeverity.Error,
                    $"{directive.Name} has 'strict-dynamic' but no nonce or hash, so browsers trust no script at all and every script is blocked.",
                    directive.Name, "'strict-dynamic'", "Add the per-response nonce ('nonce', builder: .Nonce()) or the hashes of your inline scripts, or remove 'strict-dynamic'."));
            }

            foreach (var source in directive.Values)
            {
                if (source.Kind == CspSourceKind.Nonce)
                {
                    diagnostics.Add(new(CspDiagnosticCode.StaticNonce, CspDiagnosticSeverity.Error,
                        $"{source.Text} in {directive.Name} is a fixed nonce: every response would carry the same value, which an attacker can copy.",
                        directive.Name, source.Text, "Write 'nonce' (builder: .Nonce()); SecureHeaders puts a fresh nonce into every response."));
                }
            }
        }

        if (options?.ReportOnly == true
            && policy.Find(CspDirectives.ReportUri) is not { Values.IsEmpty: false }
            && policy.Find(CspDirectives.ReportTo) is not { Values.IsEmpty: false })
        {
            diagnostics.Add(new(CspDiagnosticCode.ReportOnlyWithoutDestination, CspDiagnosticSeverity.Warning,
                "The Report-Only policy has no report-uri or report-to: it enforces nothing and its violations are reported nowhere.",
                null, null, "Add report-to (with a Reporting-Endpoints header) and report-uri, for example SecureHeaders' report endpoint."));
        }
    }
}
