using System.Security.Cryptography;
using System.Text;
using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;
using SecureHeaders.Reporting.Normalization;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// Learning mode that never allows an attack: from the CSP violations one of the app's own policies produced, the
/// additions that are consistent with the app, and the rejected ones with their evidence. The base is always the
/// app's compiled policy (with <c>'nonce'</c> placeholders); report content is evidence, never configuration.
/// Every candidate goes through <see cref="LearningRules"/>; what passes must also leave the policy without new high
/// findings of <see cref="CspEvaluator"/>.
/// </summary>
public static class PolicyLearner
{
    /// <summary>
    /// CSP3 §5.3 cuts samples to 40 characters. A shorter sample is the whole inline block, so its hash is exact;
    /// a sample of 40 characters may be cut and its hash would match nothing.
    /// </summary>
    public const int SampleLimit = 40;

    /// <summary>The CSP hash source of a complete inline block: <c>'sha256-</c>base64 of SHA-256 over its UTF-8 bytes<c>'</c> (CSP3 §2.3.1).</summary>
    /// <param name="code">The exact text of the inline script, style or attribute.</param>
    public static string HashSource(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(code), digest);
        return "'sha256-" + Convert.ToBase64String(digest) + "'";
    }

    /// <summary>
    /// Reads the app's policies (from <paramref name="app"/>, or as the app recorded them in the store), the sessions,
    /// and the attributed CSP violations of the window, and learns each policy in scope.
    /// </summary>
    /// <param name="store">Where the reports are.</param>
    /// <param name="request">Policy, disposition, window, extra hashes and noise lists.</param>
    /// <param name="app">The running app's own policies; <see langword="null"/> to use what the app recorded in the store (the CLI).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="LearningException">The policy is unknown, the session does not exist, or the app recorded no policy.</exception>
    public static async Task<LearningResult> LearnAsync(IViolationStore store, LearningRequest request, AppPolicySnapshot? app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        app ??= await store.GetAppPoliciesAsync(cancellationToken).ConfigureAwait(false);
        if (app.Policies.Count == 0)
        {
            throw new LearningException(
                "The app has recorded no compiled policy in this store, so there is no base to learn from: run the app with AddSecureHeaders() and AddSecureHeadersReporting() against this store once.");
        }

        var session = await ResolveSessionAsync(store, request.Window, cancellationToken).ConfigureAwait(false);
        var filter = new ViolationQuery
        {
            Type = ReportTypes.CspViolation,
            Session = session?.Id,
            Since = request.Since,
            Limit = ViolationQuery.MaxLimit,
            OrderBy = ViolationOrder.Count,
        };

        var unattributed = (await store.QueryAsync(filter with { Policy = string.Empty, Session = session is null ? null : 0 }, cancellationToken).ConfigureAwait(false)).Total;
        if (session is not null)
        {
            // Reports in the session window that could not be attributed are stored outside it (session 0).
            unattributed = 0;
        }

        var names = new List<string>();
        if (request.Policy is { } wanted)
        {
            if (!app.Knows(wanted))
            {
                throw new LearningException($"The app has no policy named '{wanted}'. Its policies: {string.Join(", ", app.Policies.Select(static p => p.Name).Distinct())}.");
            }

            names.Add(wanted);
        }
        else
        {
            var all = app.Policies.Select(static p => p.Name).Distinct(StringComparer.Ordinal).ToList();
            foreach (var name in all)
            {
                if ((await store.QueryAsync(filter with { Policy = name, Limit = 1 }, cancellationToken).ConfigureAwait(false)).Total > 0)
                {
                    names.Add(name);
                }
            }

            // Nothing reported yet: the answer is still a policy to paste, the default one (or the only one).
            if (names.Count == 0)
            {
                names.Add(all.Contains("default") ? "default" : all[0]);
            }
        }

        var hashes = new List<AppInlineHash>(app.InlineHashes);
        hashes.AddRange(request.InlineHashes);
        var optIns = await store.GetOptInsAsync(cancellationToken).ConfigureAwait(false);
        var learned = new List<LearnedPolicy>();
        foreach (var name in names)
        {
            var basePolicy = request.Disposition is { } d
                ? app.Find(name, d) ?? throw new LearningException($"Policy '{name}' sends no {(d == "report" ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy")} header.")
                : app.Find(name, "report") ?? app.Find(name, "enforce");
            if (basePolicy is null)
            {
                throw new LearningException($"Policy '{name}' sends no content security policy.");
            }

            var result = await store.QueryAsync(filter with { Policy = name, Disposition = basePolicy.Disposition }, cancellationToken).ConfigureAwait(false);
            var fingerprints = result.Violations.Select(static v => v.Fingerprint).ToList();
            var samples = await store.GetSamplesAsync(fingerprints, cancellationToken).ConfigureAwait(false);
            var evidence = await store.GetEvidenceAsync(fingerprints, cancellationToken).ConfigureAwait(false);
            learned.Add(Learn(basePolicy, result.Violations, samples, evidence, hashes, optIns, session, request.IgnoredSchemes, request.IgnoredHosts));
        }

        return new LearningResult(learned, session, unattributed);
    }

    private static async Task<LearningSession?> ResolveSessionAsync(IViolationStore store, LearningWindow window, CancellationToken cancellationToken)
    {
        if (window.IsAll)
        {
            return null;
        }

        var sessions = await store.GetSessionsAsync(cancellationToken).ConfigureAwait(false);
        if (window.SessionId is { } id)
        {
            return sessions.FirstOrDefault(s => s.Id == id) ?? throw new LearningException($"There is no learning session {id}.");
        }

        return sessions.Count > 0 ? sessions[0] : null;
    }

    /// <summary>Learns one policy from its violations.</summary>
    /// <param name="basePolicy">The app's own compiled policy (with <c>'nonce'</c> placeholders).</param>
    /// <param name="violations">The CSP violations attributed to it (others are ignored).</param>
    /// <param name="samples">Their stored samples.</param>
    /// <param name="evidence">Their pages and clients.</param>
    /// <param name="inlineHashes">Hashes of the app's own inline code (its hash manifest).</param>
    /// <param name="optIns">Explicit opt-ins; those for this policy bring back the rejected additions they name.</param>
    /// <param name="session">The session the violations come from, for the result.</param>
    /// <param name="ignoredSchemes">URL schemes whose reports are noise; <see langword="null"/> for the defaults.</param>
    /// <param name="ignoredHosts">Hosts whose reports are noise; <see langword="null"/> for none.</param>
    public static LearnedPolicy Learn(
        AppPolicy basePolicy,
        IReadOnlyList<Violation> violations,
        IReadOnlyList<ViolationSample> samples,
        ViolationEvidence evidence,
        IReadOnlyList<AppInlineHash> inlineHashes,
        IReadOnlyList<LearningOptIn> optIns,
        LearningSession? session = null,
        IEnumerable<string>? ignoredSchemes = null,
        IEnumerable<string>? ignoredHosts = null)
    {
        ArgumentNullException.ThrowIfNull(basePolicy);
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(inlineHashes);
        ArgumentNullException.ThrowIfNull(optIns);
        var noise = new NoiseFilter(ignoredSchemes ?? NoiseDefaults.Schemes, ignoredHosts ?? []);
        var notes = new List<string>();
        var policy = WithPlaceholders(CspPolicy.Parse(basePolicy.Csp), notes);

        var samplesOf = Group(samples, static s => s.Fingerprint, static s => s.Sample);
        var pagesOf = Group(evidence.Documents, static t => t.Fingerprint, static t => t);
        var clientsOf = Group(evidence.Clients, static t => t.Fingerprint, static t => t.Value);

        var allPages = new HashSet<string>(StringComparer.Ordinal);
        var allClients = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new Dictionary<(string, string, bool), Candidate>();
        var order = new List<Candidate>();
        long considered = 0;
        foreach (var v in violations)
        {
            if (v.Type != ReportTypes.CspViolation || noise.IsNoise(v) || v.Policy != basePolicy.Name || v.Disposition != basePolicy.Disposition)
            {
                continue;
            }

            considered += v.Count;
            pagesOf.TryGetValue(v.Fingerprint, out var pages);
            clientsOf.TryGetValue(v.Fingerprint, out var clients);
            foreach (var p in pages ?? [])
            {
                allPages.Add(p.Value);
            }

            if (pages is null && v.DocumentUrl is { Length: > 0 } newest)
            {
                allPages.Add(newest);
            }

            foreach (var c in clients ?? [])
            {
                allClients.Add(c);
            }

            var (target, creates) = Target(v.Directive, policy);
            samplesOf.TryGetValue(v.Fingerprint, out var vSamples);
            foreach (var (source, sample, flags) in SourcesOf(v, vSamples))
            {
                var directive = (flags & CandidateFlags.TrustedTypes) != 0 ? v.Directive : target;
                // javascript: URLs and other inline code both need 'unsafe-inline'; they are different findings.
                var key = (directive, source, (flags & CandidateFlags.JavaScriptUrl) != 0);
                if (!candidates.TryGetValue(key, out var candidate))
                {
                    candidates[key] = candidate = new Candidate(directive, source, creates && directive == target);
                    order.Add(candidate);
                }

                candidate.Add(v, flags, sample, pages, clients);
            }
        }

        var context = new RuleContext(policy, inlineHashes, allPages.Count, allClients.Count);
        var added = new List<(Candidate Candidate, LearnedSource Source)>();
        var rejected = new List<LearnedSource>();
        foreach (var candidate in order.OrderByDescending(static c => c.Count).ThenBy(static c => c.Directive, StringComparer.Ordinal).ThenBy(static c => c.Source, StringComparer.Ordinal))
        {
            if (AlreadyAllowed(policy, candidate))
            {
                continue;
            }

            var decision = Decide(candidate, context);
            if (decision.Kind == LearningRules.Consistent)
            {
                added.Add((candidate, candidate.ToSource(decision.Rule, decision.Kind, decision.Reason)));
            }
            else
            {
                rejected.Add(candidate.ToSource(decision.Rule, decision.Kind, decision.Reason));
                if (decision.Note is { } note && !notes.Contains(note))
                {
                    notes.Add(note);
                }
            }
        }

        // The evaluator gate: an addition that gives the policy a high finding it did not have is not made.
        var proposed = policy;
        var knownHigh = HighFindings(policy);
        var kept = new List<(Candidate Candidate, LearnedSource Source)>();
        foreach (var (candidate, source) in added)
        {
            var next = Apply(proposed, candidate);
            var fresh = HighFindingsList(next).Where(f => !knownHigh.Contains((f.Check, f.Directive, f.Value))).ToList();
            if (fresh.Count > 0)
            {
                rejected.Add(candidate.ToSource(LearningRules.NewHighFinding, LearningRules.EvaluatorFinding,
                    $"would add the CSP evaluator's high finding \"{fresh[0].Message}\" ({fresh[0].Check})"));
                continue;
            }

            proposed = next;
            kept.Add((candidate, source));
        }

        var result = kept.Select(static k => k.Source).ToList();
        for (var i = 0; i < rejected.Count; i++)
        {
            var r = rejected[i];
            if (r.Kind is not (LearningRules.LikelyInjection or LearningRules.EvaluatorFinding) || FindOptIn(optIns, basePolicy.Name, r) is not { } optIn)
            {
                continue;
            }

            var candidate = candidates[(r.Directive, r.Source, r.Rule == LearningRules.JavaScriptUrl)];
            proposed = Apply(proposed, candidate);
            result.Add(r with
            {
                Kind = LearningRules.OptedIn,
                Reason = $"opted in by {optIn.By} on {optIn.At.UtcDateTime:yyyy-MM-dd} ({optIn.Reason}); learning had rejected it: {r.Reason}",
            });
            rejected.RemoveAt(i--);
        }

        return new LearnedPolicy(basePolicy.Name, basePolicy.Disposition, session, basePolicy.Csp, proposed.ToString(), result, rejected,
            considered, allPages.Count, allClients.Count, notes)
        {
            ManifestHashes = [.. inlineHashes.Select(static h => h.Hash)],
        };
    }

    private static Dictionary<string, List<TValue>> Group<T, TValue>(IEnumerable<T> items, Func<T, string> key, Func<T, TValue> value)
    {
        var map = new Dictionary<string, List<TValue>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!map.TryGetValue(key(item), out var list))
            {
                map[key(item)] = list = [];
            }

            list.Add(value(item));
        }

        return map;
    }

    /// <summary>The base never carries a literal nonce: one copied from a header would be replayable and fails validation.</summary>
    private static CspPolicy WithPlaceholders(CspPolicy policy, List<string> notes)
    {
        var result = policy;
        foreach (var directive in policy.Directives)
        {
            if (directive.Has(CspSourceKind.Nonce))
            {
                var values = directive.Values.Select(static v => v.Kind == CspSourceKind.Nonce ? CspSource.NoncePlaceholderSource : v).Distinct().ToList();
                result = result.Set(new CspDirective(directive.Name, values));
                notes.Add($"{directive.Name} had a literal 'nonce-…'; it is the 'nonce' placeholder here, replaced by a fresh nonce on every response.");
            }
        }

        return result;
    }

    private static (string Target, bool Creates) Target(string effective, CspPolicy policy)
    {
        foreach (var name in DirectiveFallback.For(effective))
        {
            if (!policy.Contains(name))
            {
                continue;
            }

            // Falling back all the way to default-src: adding there would widen every fetch directive,
            // so create the specific directive instead.
            return name == CspDirectives.DefaultSrc && effective != CspDirectives.DefaultSrc
                ? (DirectiveFallback.NameToCreate(effective), true)
                : (name, false);
        }

        return (DirectiveFallback.NameToCreate(effective), true);
    }

    private static IEnumerable<(string Source, string? Sample, CandidateFlags Flags)> SourcesOf(Violation v, List<string>? samples)
    {
        var attribute = v.Directive.EndsWith("-attr", StringComparison.Ordinal) ? CandidateFlags.Attribute : CandidateFlags.None;
        var style = v.Directive.StartsWith("style-src", StringComparison.Ordinal) ? CandidateFlags.Style : CandidateFlags.None;
        switch (v.BlockedUri)
        {
            case "inline":
                samples ??= v.Sample is { Length: > 0 } one ? [one] : [];
                if (samples.Count == 0)
                {
                    yield return ("'unsafe-inline'", null, CandidateFlags.Inline | CandidateFlags.Unverifiable | attribute | style);
                    yield break;
                }

                foreach (var sample in samples)
                {
                    if (sample.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                    {
                        yield return ("'unsafe-inline'", sample, CandidateFlags.Inline | CandidateFlags.JavaScriptUrl);
                    }
                    else if (sample.Length < SampleLimit)
                    {
                        yield return (HashSource(sample), sample, CandidateFlags.Inline | attribute | style);
                    }
                    else
                    {
                        yield return ("'unsafe-inline'", sample, CandidateFlags.Inline | CandidateFlags.Unverifiable | attribute | style);
                    }
                }

                yield break;
            case "eval":
                yield return ("'unsafe-eval'", v.Sample, CandidateFlags.Eval);
                yield break;
            case "wasm-eval":
                yield return ("'wasm-unsafe-eval'", v.Sample, CandidateFlags.Eval);
                yield break;
            case "self":
                yield return ("'self'", null, CandidateFlags.None);
                yield break;
            case "javascript":
                yield return ("'unsafe-inline'", v.Sample, CandidateFlags.Inline | CandidateFlags.JavaScriptUrl);
                yield break;
            case "trusted-types-sink":
            case "trusted-types-policy":
                yield return (v.BlockedUri, v.Sample, CandidateFlags.TrustedTypes);
                yield break;
        }

        var blocked = v.BlockedUri;
        if (blocked.Length == 0)
        {
            yield break;
        }

        if (!blocked.Contains(':', StringComparison.Ordinal))
        {
            // A reduced scheme such as data, blob, filesystem or mediastream.
            if (blocked.All(char.IsAsciiLetterOrDigit))
            {
                yield return (blocked + ":", null, CandidateFlags.Scheme);
            }

            yield break;
        }

        yield return string.Equals(blocked, v.DocumentOrigin, StringComparison.OrdinalIgnoreCase)
            ? ("'self'", null, CandidateFlags.None)
            : (blocked, null, CandidateFlags.Host);
    }

    private static bool AlreadyAllowed(CspPolicy policy, Candidate c)
    {
        // Inline code, eval and scripts under 'strict-dynamic' were reported although the keyword or host may be
        // listed: the browser ignored it (CSP3 §6.7.3.3, §8.2), so the rules still have to look at them.
        if ((c.Flags & (CandidateFlags.TrustedTypes | CandidateFlags.Inline | CandidateFlags.JavaScriptUrl | CandidateFlags.Eval)) != 0)
        {
            return false;
        }

        var directive = policy.Find(c.Directive);
        if (directive is not null && directive.Contains(CspSource.StrictDynamic))
        {
            return false;
        }

        return directive is not null && directive.Values.Any(v => string.Equals(v.Text.TrimEnd('/'), c.Source, StringComparison.OrdinalIgnoreCase));
    }

    private static Decision Decide(Candidate c, RuleContext context)
    {
        var f = c.Flags;
        if ((f & CandidateFlags.TrustedTypes) != 0)
        {
            return new(LearningRules.TrustedTypes, LearningRules.CodeChange,
                "Trusted Types violations are fixed in the code (a Trusted Types policy) or in the trusted-types directive, not with a source");
        }

        if ((f & CandidateFlags.JavaScriptUrl) != 0)
        {
            return new(LearningRules.JavaScriptUrl, LearningRules.LikelyInjection,
                "a javascript: URL; only 'unsafe-inline' would allow it, and injected links use it" + c.Where());
        }

        if ((f & CandidateFlags.Inline) != 0)
        {
            if ((f & CandidateFlags.Unverifiable) == 0 && context.IsAppHash(c.Source, c.InlineKind))
            {
                return new(LearningRules.InlineInManifest, LearningRules.Consistent, "the code's hash is in the app's hash manifest" + c.Where());
            }

            if (c.PayloadMarker() is { } marker)
            {
                return new(LearningRules.PayloadSample, LearningRules.LikelyInjection, $"the sample looks like an injection payload ({marker})" + c.Where());
            }

            var what = (f & CandidateFlags.Attribute) != 0 ? (c.IsStyle ? "a style attribute" : "an event handler") : (c.IsStyle ? "an inline style" : "an inline script");
            var why = (f & CandidateFlags.Unverifiable) != 0
                ? $"{what} whose sample is missing or cut, so it cannot be matched with the app's code"
                : $"{what} that is not in the app's hash manifest or compiled policy";
            return new(LearningRules.InlineNotInSource, LearningRules.LikelyInjection, why + c.Where(),
                "Inline code of the app itself needs the nonce (the csp-nonce tag helper) or a build-time hash (secureheaders csp hash --manifest); learning never allows inline code it cannot match with the app.");
        }

        if (c.PayloadMarker() is { } evalMarker)
        {
            return new(LearningRules.PayloadSample, LearningRules.LikelyInjection, $"the sample looks like an injection payload ({evalMarker})" + c.Where());
        }

        var existing = context.Policy.Find(c.Directive);
        if (!c.Creates && existing is not null && existing.Has(CspSourceKind.None))
        {
            return new(LearningRules.NoneWidened, LearningRules.LikelyInjection, $"the app's policy says {c.Directive} 'none'" + c.Where());
        }

        if (c.Source == "data:" && c.IsScriptCapable)
        {
            return new(LearningRules.DataInScript, LearningRules.LikelyInjection, $"data: in {c.Directive} lets injected markup run code" + c.Where());
        }

        if (c.IsNavigation && c.Source != "'self'" && c.Documents < LearningRules.MinPagesForNavigation)
        {
            return new(LearningRules.NavigationFewPages, LearningRules.LikelyInjection,
                $"{c.Directive} to another origin from {Pages(c.Documents)} (at least {LearningRules.MinPagesForNavigation} needed)" + c.Where());
        }

        if ((f & CandidateFlags.Eval) != 0 && context.Pages >= 2 && c.Documents < Math.Ceiling(LearningRules.MinEvalShare * context.Pages))
        {
            return new(LearningRules.EvalNotPolicyWide, LearningRules.LikelyInjection,
                $"eval from {Pages(c.Documents)} of the policy's {context.Pages}; a page that needs it should get a policy of its own" + c.Where(),
                "A page that needs eval (API explorers, template engines) should get its own named or endpoint policy with 'unsafe-eval', not the whole site.");
        }

        if (c.IsScriptCapable && c.Source != "'self'" && (f & CandidateFlags.Eval) == 0 && context.Pages >= 2 && c.Documents < 2)
        {
            return new(LearningRules.ScriptSinglePage, LearningRules.LikelyInjection,
                $"a script source that only one of the policy's {context.Pages} pages loads" + c.Where());
        }

        if (context.Clients >= LearningRules.DiverseClients && c.Clients == 1)
        {
            return new(LearningRules.SingleClient, LearningRules.LikelyInjection,
                $"reported by one client of the {context.Clients} that reported under this policy (an extension, a tampered browser or forged reports)" + c.Where());
        }

        var start = existing ?? context.Policy.FindEffective(c.Directive);
        if (c.IsScriptDirective && start is not null && start.Contains(CspSource.StrictDynamic)
            && ((f & (CandidateFlags.Host | CandidateFlags.Scheme)) != 0 || c.Source == "'self'"))
        {
            return new(LearningRules.IgnoredUnderStrictDynamic, LearningRules.Ineffective,
                $"browsers ignore hosts, schemes and 'self' in a directive with 'strict-dynamic'" + c.Where(),
                "Under 'strict-dynamic' a script loads when its tag carries the nonce (csp-nonce) or a trusted script adds it; give the <script> tags of those hosts the nonce.");
        }

        return new(LearningRules.Allowed, LearningRules.Consistent, $"consistent with the app: {Pages(c.Documents)}, {Clients(c.Clients)}");
    }

    private static string Pages(int n) => n == 1 ? "1 page" : n + " pages";

    private static string Clients(int n) => n == 1 ? "1 client" : n + " clients";

    private static CspPolicy Apply(CspPolicy policy, Candidate c)
    {
        var sources = new List<CspSource> { CspSource.Parse(c.Source) };
        if ((c.Flags & CandidateFlags.Attribute) != 0 && c.Source.StartsWith("'sha", StringComparison.Ordinal))
        {
            // Hashes cover event handlers and style attributes only together with 'unsafe-hashes' (CSP3 §6.7.3.3).
            sources.Add(CspSource.UnsafeHashes);
        }

        return policy.AddSources(c.Directive, sources);
    }

    private static HashSet<(string Check, string Directive, string? Value)> HighFindings(CspPolicy policy) =>
        [.. HighFindingsList(policy).Select(static f => (f.Check, f.Directive, f.Value))];

    private static List<CspFinding> HighFindingsList(CspPolicy policy) =>
        [.. CspEvaluator.Evaluate(policy, new CspEvaluationOptions { ConfiguredPolicy = true }).Where(static f => f.Severity is CspFindingSeverity.High or CspFindingSeverity.Syntax)];

    private static LearningOptIn? FindOptIn(IReadOnlyList<LearningOptIn> optIns, string policy, LearnedSource r)
    {
        LearningOptIn? found = null;
        foreach (var o in optIns)
        {
            if (o.Policy == policy && string.Equals(o.Directive, r.Directive, StringComparison.OrdinalIgnoreCase) && o.Source == r.Source)
            {
                found = o;
            }
        }

        return found;
    }

    private sealed record Decision(string Rule, string Kind, string Reason, string? Note = null);

    private sealed class RuleContext(CspPolicy policy, IReadOnlyList<AppInlineHash> hashes, int pages, int clients)
    {
        public CspPolicy Policy { get; } = policy;

        public int Pages { get; } = pages;

        public int Clients { get; } = clients;

        public bool IsAppHash(string hash, string kind)
        {
            foreach (var h in hashes)
            {
                if (h.Kind == kind && h.Hash == hash)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>Learning could not run: unknown policy or session, or no recorded policy to start from.</summary>
public sealed class LearningException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LearningException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public LearningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public LearningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
