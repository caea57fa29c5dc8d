using System.Collections.Immutable;
using SecureHeaders.Configuration;
using SecureHeaders.Csp;
using SecureHeaders.Headers;

namespace SecureHeaders.Policies;

/// <summary>Validates a <see cref="SecureHeadersPolicy"/> completely and compiles it into a <see cref="CompiledPolicy"/>.</summary>
internal static class PolicyCompiler
{
    /// <summary>
    /// Compiles a policy. Every problem is added to <paramref name="problems"/> with its configuration path under
    /// <paramref name="path"/>; the result is <see langword="null"/> when there was an error.
    /// </summary>
    /// <param name="policy">The policy options.</param>
    /// <param name="name">The policy's name, for logs.</param>
    /// <param name="path">The configuration path of the policy, prefixed to every problem.</param>
    /// <param name="problems">Where problems are collected.</param>
    /// <param name="hashes">Build-time hashes of inline scripts and styles (<c>secureheaders csp hash</c>), added to every CSP that governs scripts or styles.</param>
    /// <param name="reporting">Where violation reports go; applied to the policy unless it names a destination itself or opted out.</param>
    public static CompiledPolicy? Compile(SecureHeadersPolicy policy, string name, string path, ConfigurationProblems problems, CspHashManifest? hashes = null, ViolationReportingOptions? reporting = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(problems);
        if (reporting?.Url is not null && policy.SendViolationReports)
        {
            // What the user did not write is not the user's to fix: advice about the reporting directives SecureHeaders
            // adds (report-uri is deprecated, but browsers without report-to still need it) is not reported.
            string[] added = [.. new[] { CspDirectives.ReportUri, CspDirectives.ReportTo }.Where(d =>
                !policy.ContentSecurityPolicy.Directives.ContainsKey(d) && !policy.ContentSecurityPolicyReportOnly.Directives.ContainsKey(d))];
            var found = new ConfigurationProblems();
            var reported = Compile(reporting.ApplyTo(policy, reportingApi: true, name), name, path, found, hashes);
            foreach (var problem in found.All)
            {
                if (problem.Severity == ProblemSeverity.Error || !Array.Exists(added, d => problem.Path.EndsWith(":Directives:" + d, StringComparison.Ordinal)))
                {
                    problems.Add(problem);
                }
            }

            if (reported is null)
            {
                return null;
            }

            reported.AddedDirectives = added;

            // Variants chosen per response: report-uri only for plain HTTP, and, when sampling, no reporting at all.
            reported.PlainHttp = Compile(reporting.ApplyTo(policy, reportingApi: false, name), name, path, new ConfigurationProblems(), hashes);
            if (reporting.SampleRate < 1)
            {
                var unreported = Compile(policy, name, path, new ConfigurationProblems(), hashes);
                reported.Sampling = (reporting.SampleRate, unreported);
                reported.PlainHttp?.Sampling = (reporting.SampleRate, unreported);
            }

            return reported;
        }

        var errorsBefore = CountErrors(problems);
        if (policy.Embeds.Count > 0)
        {
            policy = WithEmbeds(policy, path, problems);
        }
        var headers = ImmutableArray.CreateBuilder<HeaderField>();

        var declaredEndpoints = new HashSet<string>(policy.ReportingEndpoints.Keys, StringComparer.Ordinal);

        var enforced = policy.ContentSecurityPolicy.Compile(path + ":ContentSecurityPolicy", problems, isReportOnlyHeader: false);
        var trial = policy.ContentSecurityPolicyReportOnly.Compile(path + ":ContentSecurityPolicyReportOnly", problems, isReportOnlyHeader: true);
        if (hashes is not null)
        {
            enforced = enforced is null ? null : hashes.ApplyTo(enforced);
            trial = trial is null ? null : hashes.ApplyTo(trial);
        }

        CheckReportTo(enforced, path + ":ContentSecurityPolicy", declaredEndpoints, problems);
        CheckReportTo(trial, path + ":ContentSecurityPolicyReportOnly", declaredEndpoints, problems);

        CspTemplate? enforcedTemplate = null, withoutUpgrade = null;
        var reportOnly = ImmutableArray.CreateBuilder<CspTemplate>();
        if (enforced is not null)
        {
            if (policy.ContentSecurityPolicy.ReportOnly)
            {
                reportOnly.Add(CspTemplate.Create(enforced));
            }
            else
            {
                enforcedTemplate = CspTemplate.Create(enforced);
                if (enforced.Contains(CspDirectives.UpgradeInsecureRequests))
                {
                    withoutUpgrade = CspTemplate.Create(enforced.Remove(CspDirectives.UpgradeInsecureRequests));
                }
            }
        }

        if (trial is not null)
        {
            reportOnly.Add(CspTemplate.Create(trial));
        }

        string? hsts = null;
        var context = new HeaderCompileContext(declaredEndpoints);
        foreach (var header in HeaderRegistry.All)
        {
            if (header == ContentSecurityPolicyHeader.Description || header == ContentSecurityPolicyHeader.ReportOnlyDescription)
            {
                continue;
            }

            if (header.Compile(policy[header], path + ":" + header.Key, problems, context) is { } field)
            {
                if (header == StrictTransportSecurityHeader.Description)
                {
                    hsts = field.Value;
                }
                else
                {
                    headers.Add(field);
                }
            }
        }

        CompileCustomHeaders(policy.CustomHeaders, path + ":CustomHeaders", problems, headers);

        CheckFraming(policy, enforced, path, problems);

        if (CountErrors(problems) > errorsBefore)
        {
            return null;
        }

        return new CompiledPolicy(
            name,
            headers.ToImmutable(),
            hsts is null ? null : new HeaderField(StrictTransportSecurityHeader.Name, hsts),
            enforcedTemplate,
            withoutUpgrade,
            reportOnly.ToImmutable(),
            policy.CacheControlNoStore);
    }

    /// <summary>
    /// A copy of the policy that lets the embedded origins frame in: <c>frame-src</c> (from what frames inherited,
    /// CSP3 §6.1.4), and the iframe features of <see cref="SecureHeadersPolicy.EmbedFeatures"/> where the
    /// Permissions-Policy lists them (a feature it leaves out keeps the browser's default, which already lets a frame
    /// have it when the iframe's allow attribute asks; Permissions Policy §9.8).
    /// </summary>
    private static SecureHeadersPolicy WithEmbeds(SecureHeadersPolicy policy, string path, ConfigurationProblems problems)
    {
        var origins = new List<string>();
        for (var i = 0; i < policy.Embeds.Count; i++)
        {
            var value = policy.Embeds[i]?.Trim() ?? string.Empty;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0
                || value.Contains('*', StringComparison.Ordinal) || value.TrimEnd('/').Length != uri.GetLeftPart(UriPartial.Authority).Length)
            {
                problems.Error($"{path}:Embeds:{i}", $"\"{HeaderCompiler.Printable(value)}\" is not an https origin; an embed allowance names one site exactly.",
                    "Write the player's origin, e.g. https://www.youtube-nocookie.com (no path, no wildcard).");
                continue;
            }

            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }

        var copy = policy.Clone();
        copy.Embeds = [];
        if (origins.Count == 0)
        {
            return copy;
        }

        foreach (var csp in new[] { copy.ContentSecurityPolicy, copy.ContentSecurityPolicyReportOnly })
        {
            if (csp.Enabled && csp.Directives.Count > 0)
            {
                csp.Add(CspDirectives.FrameSrc, [.. origins]);
            }
        }

        var features = copy.PermissionsPolicy.Features;
        foreach (var feature in SecureHeadersPolicy.EmbedFeatures)
        {
            if (features.TryGetValue(feature, out var allowlist) && !allowlist.Contains("*"))
            {
                features[feature] = [.. allowlist, .. origins.Where(o => !allowlist.Contains(o))];
            }
        }

        return copy;
    }

    private static void CompileCustomHeaders(IDictionary<string, string> custom, string path, ConfigurationProblems problems, ImmutableArray<HeaderField>.Builder headers)
    {
        foreach (var (name, value) in custom)
        {
            var entryPath = path + ":" + name;
            if (PolicySettings.IsGoverned(name))
            {
                var option = HeaderRegistry.Find(name) is { } header ? header.ConfigurationPath : "SecureHeaders:CacheControlNoStore";
                problems.Error(entryPath, $"{name} has its own setting, which validates it; a custom header would bypass that.", $"Set {option} instead.");
            }
            else if (!Internal.HttpTokens.IsToken(name))
            {
                problems.Error(entryPath, $"\"{HeaderCompiler.Printable(name)}\" is not a valid header name.", "Use letters, digits and '-'.");
            }
            else if (value is null || !Internal.HttpTokens.IsSafeFieldValue(value))
            {
                problems.Error(entryPath, $"The value \"{HeaderCompiler.Printable(value ?? string.Empty)}\" contains line breaks, control or non-ASCII characters, or surrounding spaces.",
                    "Write the value on one line in plain ASCII.");
            }
            else if (value.Length > 0)
            {
                headers.Add(new HeaderField(name, value));
            }
        }
    }

    private static void CheckReportTo(CspPolicy? policy, string path, HashSet<string> declaredEndpoints, ConfigurationProblems problems)
    {
        if (policy?.Find(CspDirectives.ReportTo) is { Values.Length: > 0 } reportTo && !declaredEndpoints.Contains(reportTo.Values[0].Text))
        {
            problems.Error(path + ":Directives:report-to", $"report-to names the endpoint \"{reportTo.Values[0].Text}\", which ReportingEndpoints does not declare, so browsers send no reports.",
                $"Add ReportingEndpoints:{reportTo.Values[0].Text} with an https URL, or enable SecureHeaders reporting, which declares its endpoint.");
        }
    }

    private static void CheckFraming(SecureHeadersPolicy policy, CspPolicy? enforced, string path, ConfigurationProblems problems)
    {
        var frameAncestors = enforced?.Find(CspDirectives.FrameAncestors);
        if (frameAncestors is null || string.IsNullOrEmpty(policy.XFrameOptions) || policy.ContentSecurityPolicy.ReportOnly)
        {
            return;
        }

        var xfo = policy.XFrameOptions.Trim().ToUpperInvariant();
        var onlySelf = frameAncestors.Values.Length == 1 && frameAncestors.Values[0].Equals(CspSource.Self);
        var consistent = (frameAncestors.AllowsNothing && xfo == XFrameOptionsHeader.Deny) || (onlySelf && xfo == XFrameOptionsHeader.SameOrigin);
        if (!consistent)
        {
            problems.Warning(path + ":XFrameOptions",
                $"X-Frame-Options {xfo} disagrees with frame-ancestors {string.Join(' ', frameAncestors.Values)}: current browsers follow frame-ancestors, older ones X-Frame-Options.",
                frameAncestors.AllowsNothing ? "Use DENY." : onlySelf ? "Use SAMEORIGIN." : "Remove X-Frame-Options (set it to null); it cannot express other origins. SecureHeadersPolicy.AllowFramingBy does both.");
        }
    }

    private static int CountErrors(ConfigurationProblems problems) => problems.All.Count(static p => p.Severity == ProblemSeverity.Error);
}
