using System.Security.Cryptography;
using System.Text;
using SecureHeaders.Csp;
using SecureHeaders.Reporting.Normalization;
using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// Learning mode: from stored CSP violations, the smallest set of source expressions per directive that would have
/// allowed everything observed, excluding noise. Inline code gets <c>'sha256-…'</c> hashes when the reported sample is
/// the whole script, and <c>'unsafe-inline'</c> (with a warning) only when no usable sample exists.
/// </summary>
public static class PolicySuggester
{
    /// <summary>
    /// CSP3 §5.3 cuts samples to 40 characters. A shorter sample is the whole inline block, so its hash is exact;
    /// a sample of 40 characters may be cut and its hash would match nothing.
    /// </summary>
    public const int SampleLimit = 40;

    /// <summary>Computes the suggestion.</summary>
    /// <param name="violations">Stored violations; those that are not CSP or are noise are ignored.</param>
    /// <param name="samples">Stored samples of those violations (may be empty; <see cref="Violation.Sample"/> is used then).</param>
    /// <param name="ignoredSchemes">URL schemes whose reports are noise; <see langword="null"/> for the defaults.</param>
    /// <param name="ignoredHosts">Hosts whose reports are noise (<c>*.</c> matches subdomains); <see langword="null"/> for none.</param>
    public static PolicySuggestion Suggest(
        IReadOnlyList<Violation> violations,
        IReadOnlyList<ViolationSample> samples,
        IEnumerable<string>? ignoredSchemes = null,
        IEnumerable<string>? ignoredHosts = null)
    {
        ArgumentNullException.ThrowIfNull(violations);
        ArgumentNullException.ThrowIfNull(samples);
        var noise = new NoiseFilter(ignoredSchemes ?? NoiseDefaults.Schemes, ignoredHosts ?? []);

        var samplesByFingerprint = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var s in samples)
        {
            if (!samplesByFingerprint.TryGetValue(s.Fingerprint, out var list))
            {
                samplesByFingerprint[s.Fingerprint] = list = [];
            }

            list.Add(s.Sample);
        }

        var relevant = new List<Violation>();
        Violation? newestWithPolicy = null;
        foreach (var v in violations)
        {
            if (v.Type != ReportTypes.CspViolation || noise.IsNoise(v))
            {
                continue;
            }

            relevant.Add(v);
            if (!string.IsNullOrWhiteSpace(v.OriginalPolicy) && v.OriginalPolicy.Length < Ingest.ParseLimits.MaxPolicyChars
                && (newestWithPolicy is null || v.LastSeen > newestWithPolicy.LastSeen))
            {
                newestWithPolicy = v;
            }
        }

        var basePolicyText = newestWithPolicy?.OriginalPolicy;
        var policy = basePolicyText is null ? null : FirstPolicy(basePolicyText);
        var changes = new Dictionary<string, Change>(StringComparer.Ordinal);
        var order = new List<string>();
        long considered = 0;

        foreach (var v in relevant)
        {
            var (target, creates) = Target(v.Directive, policy);
            if (!changes.TryGetValue(target, out var change))
            {
                changes[target] = change = new Change(creates);
                order.Add(target);
            }

            change.Reports += v.Count;
            considered += v.Count;
            samplesByFingerprint.TryGetValue(v.Fingerprint, out var vSamples);
            AddSources(v, vSamples, change);
        }

        var result = new List<DirectiveSuggestion>();
        foreach (var name in order)
        {
            var change = changes[name];
            var existing = policy?.Find(name)?.Values.Select(static v => v.Text).ToList();
            var add = new List<string>();
            foreach (var source in change.Sources)
            {
                if (existing is null || !Contains(existing, source))
                {
                    add.Add(source);
                }
            }

            if (add.Count == 0 && change.Notes.Count == 0)
            {
                continue;
            }

            add.Sort(CompareSources);
            if (existing is not null && Contains(existing, "'strict-dynamic'") && HasHostOrScheme(add))
            {
                change.Notes.Add("This directive uses 'strict-dynamic', which makes browsers ignore host and scheme sources; load the script from a trusted script instead.");
            }

            result.Add(new DirectiveSuggestion(name, add, change.Creates, change.Reports, [.. change.Notes.Distinct(StringComparer.Ordinal)]));
        }

        var proposed = policy is null ? null : Apply(policy, result);
        return new PolicySuggestion(result, basePolicyText, proposed, considered);
    }

    /// <summary>
    /// Reads the CSP violations that match <paramref name="filter"/> (the most frequent <see cref="ViolationQuery.MaxLimit"/>)
    /// and the samples of the inline ones from <paramref name="store"/>, and computes the suggestion.
    /// </summary>
    /// <param name="store">Where the violations are.</param>
    /// <param name="filter">Filters such as <see cref="ViolationQuery.Disposition"/> (<c>report</c> for a Report-Only candidate) or <see cref="ViolationQuery.Since"/>.</param>
    /// <param name="ignoredSchemes">URL schemes whose reports are noise; <see langword="null"/> for the defaults.</param>
    /// <param name="ignoredHosts">Hosts whose reports are noise; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<PolicySuggestion> SuggestAsync(
        IViolationStore store, ViolationQuery filter, IEnumerable<string>? ignoredSchemes, IEnumerable<string>? ignoredHosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        var cspOnly = filter with { Type = ReportTypes.CspViolation, Limit = ViolationQuery.MaxLimit, OrderBy = ViolationOrder.Count };
        var result = await store.QueryAsync(cspOnly, cancellationToken).ConfigureAwait(false);
        var inline = new List<string>();
        foreach (var v in result.Violations)
        {
            if (v.BlockedUri == "inline")
            {
                inline.Add(v.Fingerprint);
            }
        }

        var samples = await store.GetSamplesAsync(inline, cancellationToken).ConfigureAwait(false);
        return Suggest(result.Violations, samples, ignoredSchemes, ignoredHosts);
    }

    /// <summary>The CSP hash source of a complete inline block: <c>'sha256-</c>base64 of SHA-256 over its UTF-8 bytes<c>'</c> (CSP3 §2.3.1).</summary>
    /// <param name="code">The exact text of the inline script or style.</param>
    public static string HashSource(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(code), digest);
        return "'sha256-" + Convert.ToBase64String(digest) + "'";
    }

    /// <summary>The first policy of a header value: reports carry the one that was violated first.</summary>
    private static CspPolicy FirstPolicy(string headerValue)
    {
        var comma = headerValue.IndexOf(',', StringComparison.Ordinal);
        return CspPolicy.Parse(comma >= 0 ? headerValue[..comma] : headerValue);
    }

    private static (string Target, bool Creates) Target(string effective, CspPolicy? policy)
    {
        var fallback = DirectiveFallback.For(effective);
        if (policy is not null)
        {
            foreach (var name in fallback)
            {
                if (!policy.Contains(name))
                {
                    continue;
                }

                // Falling back all the way to default-src: adding there would widen every fetch directive,
                // so create the specific directive instead.
                return name == "default-src" && effective != "default-src"
                    ? (DirectiveFallback.NameToCreate(effective), true)
                    : (name, false);
            }
        }

        return (DirectiveFallback.NameToCreate(effective), false);
    }

    private static void AddSources(Violation v, List<string>? samples, Change change)
    {
        var isAttribute = v.Directive.EndsWith("-attr", StringComparison.Ordinal);
        switch (v.BlockedUri)
        {
            case "inline":
                AddInline(v, samples, isAttribute, change);
                break;
            case "eval":
                change.Sources.Add("'unsafe-eval'");
                change.Notes.Add("'unsafe-eval' allows string-to-code (eval, new Function, string timers); prefer removing that code.");
                break;
            case "wasm-eval":
                change.Sources.Add("'wasm-unsafe-eval'");
                break;
            case "self":
                change.Sources.Add("'self'");
                break;
            case "trusted-types-sink":
            case "trusted-types-policy":
                change.Notes.Add("Trusted Types violations are fixed in code or in the trusted-types directive, not with a source.");
                break;
            default:
                AddUrlSource(v, change);
                break;
        }
    }

    private static void AddInline(Violation v, List<string>? samples, bool isAttribute, Change change)
    {
        samples ??= v.Sample is { Length: > 0 } one ? [one] : [];
        var hashed = 0;
        var cut = 0;
        foreach (var sample in samples)
        {
            if (sample.Length < SampleLimit)
            {
                change.Sources.Add(HashSource(sample));
                hashed++;
            }
            else
            {
                cut++;
            }
        }

        if (hashed > 0 && isAttribute)
        {
            // Hashes only cover event handlers and style attributes together with 'unsafe-hashes' (CSP3 §6.7.3.3).
            change.Sources.Add("'unsafe-hashes'");
        }

        if (hashed == 0 || cut > 0)
        {
            change.Sources.Add("'unsafe-inline'");
            change.Notes.Add(cut > 0
                ? "Some inline code was reported with a cut sample; hash the full code (secureheaders csp hash) or use a nonce, then drop 'unsafe-inline'."
                : "Inline code was reported without a sample; add 'report-sample' to the directive to get hashes, or use a nonce.");
            change.Notes.Add("'unsafe-inline' is ignored by browsers when the directive also has a nonce or hash.");
        }
    }

    private static void AddUrlSource(Violation v, Change change)
    {
        var blocked = v.BlockedUri;
        if (blocked.Length == 0)
        {
            return;
        }

        if (!blocked.Contains(':', StringComparison.Ordinal))
        {
            // A reduced scheme such as data, blob, filesystem or mediastream.
            if (blocked.All(char.IsAsciiLetterOrDigit))
            {
                change.Sources.Add(blocked + ":");
                if (blocked == "data" && v.Directive.StartsWith("script-src", StringComparison.Ordinal))
                {
                    change.Notes.Add("data: in a script directive lets injected markup run script; avoid it.");
                }
            }

            return;
        }

        change.Sources.Add(string.Equals(blocked, v.DocumentOrigin, StringComparison.Ordinal) ? "'self'" : blocked);
    }

    private static string Apply(CspPolicy policy, List<DirectiveSuggestion> changes)
    {
        foreach (var c in changes)
        {
            if (c.Add.Count == 0)
            {
                continue;
            }

            var start = policy.Find(c.Directive) ?? (c.CreatesDirective ? policy.Find(CspDirectives.DefaultSrc) : null);
            var sources = new List<string>();
            foreach (var value in start?.Values ?? [])
            {
                // 'none' must stand alone; any added source replaces it.
                if (value.Kind != CspSourceKind.None)
                {
                    sources.Add(value.Text);
                }
            }

            foreach (var add in c.Add)
            {
                if (!Contains(sources, add))
                {
                    sources.Add(add);
                }
            }

            policy = policy.Set(new CspDirective(c.Directive, [.. sources]));
        }

        return policy.ToString();
    }

    private static bool Contains(List<string> sources, string source)
    {
        foreach (var s in sources)
        {
            if (string.Equals(s.TrimEnd('/'), source, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasHostOrScheme(List<string> sources)
    {
        foreach (var s in sources)
        {
            if (!s.StartsWith('\''))
            {
                return true;
            }
        }

        return false;
    }

    // Keywords and hashes first, then schemes, then origins; each group in ordinal order.
    private static int CompareSources(string a, string b)
    {
        var rank = Rank(a).CompareTo(Rank(b));
        return rank != 0 ? rank : string.CompareOrdinal(a, b);
    }

    private static int Rank(string s) => s.StartsWith('\'') ? 0 : s.EndsWith(':') ? 1 : 2;

    private sealed class Change(bool creates)
    {
        public bool Creates { get; } = creates;
        public long Reports { get; set; }
        public HashSet<string> Sources { get; } = new(StringComparer.Ordinal);
        public List<string> Notes { get; } = [];
    }
}
