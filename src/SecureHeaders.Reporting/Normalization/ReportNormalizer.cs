using SecureHeaders.Reporting.Ingest;

namespace SecureHeaders.Reporting.Normalization;

/// <summary>
/// Turns a <see cref="RawReport"/> into a <see cref="NormalizedReport"/>: one spelling for every field, the effective
/// directive resolved, URLs reduced, and noise recognised.
/// </summary>
internal sealed class ReportNormalizer(NoiseFilter noise)
{
    // A report older than this when delivered has a bogus age; use the arrival time instead.
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    public NormalizeResult Normalize(RawReport raw, DateTimeOffset receivedAt, out NormalizedReport? report)
    {
        report = null;
        var timestamp = raw.AgeMilliseconds > 0 && raw.AgeMilliseconds <= MaxAge.TotalMilliseconds
            ? receivedAt.AddMilliseconds(-raw.AgeMilliseconds)
            : receivedAt;

        var documentRaw = raw.DocumentUrl ?? raw.Url;
        string documentOrigin = string.Empty;
        string? documentUrl = null;
        if (UrlParts.TryParse(documentRaw, out var doc))
        {
            // Reports about pages that were not served over the network (saved files, about:blank, extension pages)
            // cannot be about this site's policy.
            if (!doc.IsNetworkScheme || IsNoiseUrl(doc))
            {
                return NormalizeResult.Noise;
            }

            documentOrigin = doc.Origin;
            documentUrl = doc.WithoutQuery;
        }

        string sourceHost = string.Empty;
        string? sourceFile = null;
        if (UrlParts.TryParse(raw.SourceFile, out var src))
        {
            if (IsNoiseUrl(src))
            {
                return NormalizeResult.Noise;
            }

            sourceHost = src.Host;
            sourceFile = src.WithoutQuery;
        }

        string directive;
        string blocked;
        string? blockedUrl = null;
        var disposition = NormalizeDisposition(raw.Disposition);
        var sample = raw.Sample;
        string type;

        switch (raw.Kind)
        {
            case ReportKind.Csp:
                type = ReportTypes.CspViolation;
                directive = EffectiveDirective(raw);
                if (directive.Length == 0)
                {
                    return NormalizeResult.Invalid;
                }

                var reduced = ReduceBlocked(raw.BlockedUrl, directive, out blockedUrl, out var blockedScheme, out var blockedHost);
                if (noise.IsNoiseScheme(blockedScheme) || noise.IsNoiseHost(blockedHost))
                {
                    return NormalizeResult.Noise;
                }

                blocked = reduced;
                break;
            case ReportKind.Coep:
                type = ReportTypes.Coep;
                directive = "coep:" + Lower(raw.Subtype, "unknown");
                blocked = OriginOrEmpty(raw.BlockedUrl, out blockedUrl);
                break;
            case ReportKind.Coop:
                type = ReportTypes.Coop;
                directive = "coop:" + Lower(raw.Subtype, "unknown");
                blocked = OriginOrEmpty(raw.RelatedUrl, out blockedUrl);
                break;
            case ReportKind.PermissionsPolicy:
                type = ReportTypes.PermissionsPolicyViolation;
                directive = Lower(raw.Feature, "unknown");
                blocked = string.Empty;
                sample ??= raw.Message;
                break;
            case ReportKind.Integrity:
                type = ReportTypes.IntegrityViolation;
                directive = "integrity:" + Lower(raw.Destination, "unknown");
                blocked = OriginOrEmpty(raw.BlockedUrl, out blockedUrl);
                if (raw.ReportOnly is { } reportOnly)
                {
                    disposition = reportOnly ? "report" : "enforce";
                }

                break;
            case ReportKind.Deprecation:
            case ReportKind.Intervention:
                type = raw.Kind == ReportKind.Deprecation ? ReportTypes.Deprecation : ReportTypes.Intervention;
                directive = raw.Feature is { Length: > 0 } id ? id : "unknown";
                blocked = string.Empty;
                sample = raw.Message;
                break;
            default:
                return NormalizeResult.Invalid;
        }

        report = new NormalizedReport
        {
            Type = type,
            Disposition = disposition,
            DocumentOrigin = documentOrigin,
            Directive = directive,
            BlockedUri = blocked,
            SourceHost = sourceHost,
            Timestamp = timestamp,
            DocumentUrl = documentUrl,
            BlockedUrl = blockedUrl,
            SourceFile = sourceFile,
            LineNumber = raw.LineNumber,
            ColumnNumber = raw.ColumnNumber,
            Sample = sample,
            OriginalPolicy = raw.OriginalPolicy,
            StatusCode = raw.StatusCode,
        };
        return NormalizeResult.Ok;
    }

    /// <summary>
    /// The directive that was enforced. CSP3 §5.3 reports <c>effectiveDirective</c>; older browsers (Firefox's
    /// report-uri reports among them) send only <c>violated-directive</c>, whose first token names the directive.
    /// </summary>
    internal static string EffectiveDirective(RawReport raw)
    {
        var value = raw.EffectiveDirective;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = raw.ViolatedDirective;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var span = value.AsSpan().Trim();
        var end = span.IndexOfAny(' ', '\t', ';');
        if (end >= 0)
        {
            span = span[..end];
        }

        // A directive CSP defines is taken in its registry spelling, without a string per report.
        return SecureHeaders.Csp.CspDirectives.Find(span)?.Name ?? span.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// Reduces a CSP <c>blockedURL</c> to what identifies the cause: an origin for network URLs, the keyword for
    /// non-URL values (CSP3 §5.3 reports <c>inline</c>, <c>eval</c>, <c>wasm-eval</c>, <c>trusted-types-sink</c>,
    /// <c>trusted-types-policy</c>), the scheme for <c>data:</c>, <c>blob:</c> and similar.
    /// </summary>
    internal static string ReduceBlocked(string? value, string directive, out string? blockedUrl, out string scheme, out string host)
    {
        blockedUrl = null;
        host = string.Empty;
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            // Older Firefox and Safari leave blocked-uri empty for inline code; elsewhere the page itself was the target.
            scheme = string.Empty;
            return IsScriptOrStyle(directive) ? "inline" : "self";
        }

        if (UrlParts.TryParse(trimmed, out var parts))
        {
            scheme = parts.Scheme;
            if (!parts.HasAuthority)
            {
                return parts.Scheme;
            }

            host = parts.Host;
            blockedUrl = parts.WithoutQuery;
            return parts.Origin;
        }

        // A bare keyword (inline, eval, data, blob, self…) or a scheme without colon as some browsers send it.
        var keyword = trimmed.Trim('\'').ToLowerInvariant();
        scheme = keyword;
        return keyword.Length > ParseLimitsKeyword ? keyword[..ParseLimitsKeyword] : keyword;
    }

    private const int ParseLimitsKeyword = 64;

    private static bool IsScriptOrStyle(string directive) =>
        directive.StartsWith("script-src", StringComparison.Ordinal) || directive.StartsWith("style-src", StringComparison.Ordinal);

    private bool IsNoiseUrl(UrlParts url) => noise.IsNoiseScheme(url.Scheme) || noise.IsNoiseHost(url.Host);

    private static string OriginOrEmpty(string? value, out string? withoutQuery)
    {
        if (UrlParts.TryParse(value, out var parts))
        {
            withoutQuery = parts.WithoutQuery;
            return parts.HasAuthority ? parts.Origin : parts.Scheme;
        }

        withoutQuery = null;
        return string.Empty;
    }

    private static string NormalizeDisposition(string? value) =>
        string.Equals(value, "report", StringComparison.OrdinalIgnoreCase) ? "report" : "enforce";

    private static string Lower(string? value, string fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback : value.Trim().ToLowerInvariant();
}
