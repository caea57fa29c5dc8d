using System.Collections.Immutable;
using SecureHeaders.Analysis.Fetching;

namespace SecureHeaders.Analysis.Drift;

/// <summary>How a page's header differs from the site's usual one.</summary>
public enum DeviationKind
{
    /// <summary>The site usually sends the header; these pages do not.</summary>
    Missing,

    /// <summary>The pages send another value than the site usually does.</summary>
    Different,

    /// <summary>The site's usual CSP has a nonce; these pages' CSP has none.</summary>
    MissingNonce,

    /// <summary>The site usually sends no such header; these pages do.</summary>
    Unexpected,
}

/// <summary>
/// One root cause found by a crawl: a set of pages whose security headers differ from the site's usual set in the same
/// way (for example every page under /api sends another HSTS, or a route bypasses the header middleware and lacks
/// them all). One deviation names every header and every page it concerns.
/// </summary>
/// <param name="Id">A stable identifier: <c>headers-missing</c>, <c>header-differs</c>, <c>csp-nonce-missing</c>, <c>script-nonce-missing</c>, <c>header-unexpected</c>.</param>
/// <param name="Kind">How the pages differ.</param>
/// <param name="Headers">The headers concerned.</param>
/// <param name="Value">What the pages send (normalized; <see langword="null"/> when absent). For several headers, the first.</param>
/// <param name="Usual">What the site usually sends.</param>
/// <param name="Pages">The pages, in crawl order.</param>
/// <param name="UsualPages">How many pages send the usual value.</param>
public sealed record SiteDeviation(string Id, DeviationKind Kind, ImmutableArray<string> Headers, string? Value, string? Usual, ImmutableArray<Uri> Pages, int UsualPages)
{
    /// <summary>What exactly differs, when the value alone does not say it.</summary>
    public string? Detail { get; init; }

    /// <summary>One sentence for people.</summary>
    public string Message => Kind switch
    {
        DeviationKind.MissingNonce when Detail is not null => $"{Pages.Length} page(s) have {Detail} although their CSP requires a nonce: those scripts are blocked.",
        DeviationKind.Missing => $"{Pages.Length} page(s) lack {string.Join(", ", Headers)}, which {UsualPages} other page(s) of the site send.",
        DeviationKind.MissingNonce => $"{Pages.Length} page(s) send a CSP without the nonce that {UsualPages} other page(s) have: their inline scripts either fail or the policy is weaker.",
        DeviationKind.Unexpected => $"{Pages.Length} page(s) send {string.Join(", ", Headers)}, which the rest of the site ({UsualPages} pages) does not.",
        _ => $"{Pages.Length} page(s) send another {string.Join(", ", Headers)} than the {UsualPages} other page(s): {SecurityHeaderValues.Shorten(Value)} instead of {SecurityHeaderValues.Shorten(Usual)}.",
    };

    /// <summary>A fix to try first.</summary>
    public string Fix => Kind switch
    {
        DeviationKind.Missing => "Make sure every route goes through the header middleware (call UseSecureHeaders() first; endpoints that write responses themselves, static files and error pages included).",
        DeviationKind.MissingNonce => "Render these pages with the nonce (the same policy and the nonce tag helper) rather than a policy of their own.",
        DeviationKind.Unexpected => "Check whether these routes use a policy of their own on purpose.",
        _ => "If the difference is not on purpose, give these routes the site's policy (check endpoint metadata and per-route policies).",
    };
}

/// <summary>Finds the pages of a crawl whose security headers differ from the site's usual set, grouped by root cause.</summary>
public static class SiteConsistency
{
    /// <summary>
    /// Compares each graded page with the site's usual value of each security header (the value most pages send; the
    /// start page breaks ties) and groups the differences: one deviation per header, kind and value, and pages that
    /// lack several headers together form one deviation. Pages that could not be graded, error pages (4xx/5xx) and
    /// redirects are left out.
    /// </summary>
    public static ImmutableArray<SiteDeviation> Analyze(CrawlResult crawl)
    {
        ArgumentNullException.ThrowIfNull(crawl);
        var pages = crawl.Pages.Where(static p => p.Report.Site.FetchFailure is null && p.Report.Site.Primary is { StatusCode: >= 200 and < 300 }).ToList();
        if (pages.Count < 2)
        {
            return [];
        }

        var values = pages.Select(static p => SecurityHeaderValues.Of(p.Report.Site.Primary!)).ToList();
        var groups = new List<(string Header, DeviationKind Kind, string? Value, string? Usual, List<int> Pages, int UsualPages)>();
        foreach (var header in SecurityHeaderValues.Names)
        {
            var counts = values.GroupBy(v => v[header]).Select(g => (Value: g.Key, Count: g.Count())).ToList();
            var best = counts.Max(static c => c.Count);
            var usual = counts.Where(c => c.Count == best).Select(static c => c.Value).Contains(values[0][header])
                ? values[0][header]
                : counts.First(c => c.Count == best).Value;
            var byValue = new Dictionary<string, (string? Value, DeviationKind Kind, List<int> Pages)>(StringComparer.Ordinal);
            for (var i = 0; i < values.Count; i++)
            {
                var value = values[i][header];
                if (value == usual)
                {
                    continue;
                }

                var kind = value is null ? DeviationKind.Missing
                    : usual is null ? DeviationKind.Unexpected
                    : SecurityHeaderValues.HasNonce(usual) && !SecurityHeaderValues.HasNonce(value) ? DeviationKind.MissingNonce
                    : DeviationKind.Different;
                var key = kind + "\n" + value;
                if (!byValue.TryGetValue(key, out var group))
                {
                    byValue[key] = group = (value, kind, []);
                }

                group.Pages.Add(i);
            }

            foreach (var group in byValue.Values)
            {
                groups.Add((header, group.Kind, group.Value, usual, group.Pages, best));
            }
        }

        // Pages that lack several headers together share one cause (the route skips the middleware): merge them.
        var deviations = ImmutableArray.CreateBuilder<SiteDeviation>();
        foreach (var missing in groups.Where(static g => g.Kind == DeviationKind.Missing).GroupBy(static g => string.Join(",", g.Pages)))
        {
            var first = missing.First();
            deviations.Add(new SiteDeviation("headers-missing", DeviationKind.Missing, [.. missing.Select(static g => g.Header)], null, first.Usual,
                [.. first.Pages.Select(i => pages[i].Url)], missing.Min(static g => g.UsualPages)));
        }

        foreach (var group in groups.Where(static g => g.Kind != DeviationKind.Missing))
        {
            var id = group.Kind switch
            {
                DeviationKind.MissingNonce => "csp-nonce-missing",
                DeviationKind.Unexpected => "header-unexpected",
                _ => "header-differs",
            };
            deviations.Add(new SiteDeviation(id, group.Kind, [group.Header], group.Value, group.Usual, [.. group.Pages.Select(i => pages[i].Url)], group.UsualPages));
        }

        // A page whose CSP has a nonce but whose inline scripts do not carry it: those scripts are blocked (CSP3 §6.7.3.1);
        // typically a view rendered without the nonce tag helper that its siblings use.
        var withoutNonce = new List<int>();
        for (var i = 0; i < pages.Count; i++)
        {
            var response = pages[i].Report.Site.Primary!;
            if (SecurityHeaderValues.HasNonce(values[i]["Content-Security-Policy"]) && response.IsHtml && response.Body is { } body
                && Html.HtmlInlineScanner.ScanServedPage(body).Inline.Any(static c => c.Kind == Html.HtmlInlineKind.Script && !c.HasNonce))
            {
                withoutNonce.Add(i);
            }
        }

        if (withoutNonce.Count > 0)
        {
            deviations.Add(new SiteDeviation("script-nonce-missing", DeviationKind.MissingNonce, ["Content-Security-Policy"], null, null,
                [.. withoutNonce.Select(i => pages[i].Url)], pages.Count - withoutNonce.Count)
            {
                Detail = "inline <script> elements without the nonce attribute",
            });
        }

        // The weakest first: missing headers, then a missing nonce, then other differences.
        return [.. deviations.OrderBy(static d => d.Kind switch { DeviationKind.Missing => 0, DeviationKind.MissingNonce => 1, DeviationKind.Different => 2, _ => 3 })];
    }
}
