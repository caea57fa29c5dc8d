using System.Collections.Immutable;
using System.Xml;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Fetching;

/// <summary>How <see cref="SiteCrawler"/> walks a site.</summary>
public sealed class CrawlOptions
{
    /// <summary>The most pages graded (the start page included). Default 50.</summary>
    public int MaxPages { get; set; } = 50;

    /// <summary>Follow only URLs of the start page's origin (scheme, host and port). By default every URL of the same site (registrable domain) is followed.</summary>
    public bool SameOrigin { get; set; }

    /// <summary>How many pages are fetched at once. Default 2: a crawl should not load the site.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>Skip paths that robots.txt disallows for every user agent (<c>User-agent: *</c>). Default true.</summary>
    public bool RespectRobotsTxt { get; set; } = true;

    /// <summary>The most URLs read from sitemaps. Default 1000.</summary>
    public int MaxSitemapUrls { get; set; } = 1000;
}

/// <summary>How a crawled URL was found.</summary>
public enum CrawlSource
{
    /// <summary>The URL the crawl started from.</summary>
    Start,

    /// <summary>A link (<c>a</c>, <c>area</c>, <c>iframe</c>) on a crawled page.</summary>
    Link,

    /// <summary>An entry of <c>sitemap.xml</c> (or a sitemap named in robots.txt).</summary>
    Sitemap,
}

/// <summary>One graded page of a crawl.</summary>
/// <param name="Url">The URL requested.</param>
/// <param name="Source">How it was found.</param>
/// <param name="FoundOn">The page that linked to it, for links.</param>
/// <param name="Report">The full analysis of the page, as <c>scan</c> gives it for one URL.</param>
public sealed record CrawledPage(Uri Url, CrawlSource Source, Uri? FoundOn, SecurityReport Report)
{
    /// <summary>Where the page ended up after redirects (the final response's URL).</summary>
    public Uri FinalUrl => Report.Site.Primary?.Url ?? Url;
}

/// <summary>What a crawl found: every graded page, in the order they were found.</summary>
/// <param name="Start">The URL the crawl started from.</param>
/// <param name="Pages">The graded pages.</param>
/// <param name="Discovered">How many distinct in-scope URLs were found (graded or not).</param>
/// <param name="Notes">What limited the crawl (page limit reached, robots.txt exclusions…).</param>
public sealed record CrawlResult(Uri Start, ImmutableArray<CrawledPage> Pages, int Discovered, ImmutableArray<string> Notes)
{
    /// <summary>True when more in-scope URLs were found than were graded.</summary>
    public bool Truncated => Discovered > Pages.Length;
}

/// <summary>
/// Walks a site from one URL: follows links on its pages, its <c>sitemap.xml</c> (and sitemaps named in robots.txt)
/// and redirects, within the site or the origin, a bounded number of pages, a few at a time, honouring robots.txt;
/// and grades every page exactly as <c>scan</c> grades one URL.
/// </summary>
public sealed class SiteCrawler
{
    private readonly SiteFetcher _fetcher;
    private readonly CrawlOptions _options;
    private readonly Func<SiteSnapshot, SecurityReport> _analyze;

    /// <summary>Creates a crawler that fetches with <paramref name="fetcher"/> and grades each page with <paramref name="analyze"/>.</summary>
    public SiteCrawler(SiteFetcher fetcher, CrawlOptions options, Func<SiteSnapshot, SecurityReport> analyze)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(analyze);
        if (options.MaxPages < 1 || options.Concurrency < 1)
        {
            throw new ArgumentException("MaxPages and Concurrency must be at least 1.", nameof(options));
        }

        _fetcher = fetcher;
        _options = options;
        _analyze = analyze;
    }

    /// <summary>Crawls from <paramref name="start"/>.</summary>
    public async Task<CrawlResult> CrawlAsync(Uri start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var notes = ImmutableArray.CreateBuilder<string>();
        var pages = ImmutableArray.CreateBuilder<CrawledPage>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { Key(start) };
        var queue = new Queue<(Uri Url, CrawlSource Source, Uri? FoundOn)>();

        // The start page first: its final URL (after redirects) fixes the origin and the site.
        var first = _analyze(await _fetcher.FetchAsync(start, cancellationToken).ConfigureAwait(false));
        var startPage = new CrawledPage(start, CrawlSource.Start, null, first);
        pages.Add(startPage);
        var home = startPage.FinalUrl;
        seen.Add(Key(home));
        var scope = new Scope(home, _options.SameOrigin);
        var robots = _options.RespectRobotsTxt ? await ReadRobotsAsync(home, cancellationToken).ConfigureAwait(false) : Robots.None;
        var excluded = 0;

        void Offer(Uri url, CrawlSource source, Uri? foundOn)
        {
            if (!scope.Contains(url) || !seen.Add(Key(url)))
            {
                return;
            }

            if (!robots.Allows(url))
            {
                excluded++;
                return;
            }

            queue.Enqueue((Strip(url), source, foundOn));
        }

        foreach (var link in LinksOf(startPage))
        {
            Offer(link, CrawlSource.Link, home);
        }

        foreach (var entry in await ReadSitemapsAsync(home, robots.Sitemaps, cancellationToken).ConfigureAwait(false))
        {
            Offer(entry, CrawlSource.Sitemap, null);
        }

        while (queue.Count > 0 && pages.Count < _options.MaxPages)
        {
            var batch = new List<(Uri Url, CrawlSource Source, Uri? FoundOn)>();
            while (queue.Count > 0 && batch.Count < _options.Concurrency && pages.Count + batch.Count < _options.MaxPages)
            {
                batch.Add(queue.Dequeue());
            }

            var fetched = await Task.WhenAll(batch.Select(async item =>
                new CrawledPage(item.Url, item.Source, item.FoundOn, _analyze(await _fetcher.FetchAsync(item.Url, cancellationToken).ConfigureAwait(false))))).ConfigureAwait(false);
            foreach (var page in fetched)
            {
                pages.Add(page);

                // A redirect within the site lands on a URL of its own: it is not fetched again.
                seen.Add(Key(page.FinalUrl));
                foreach (var link in LinksOf(page))
                {
                    Offer(link, CrawlSource.Link, page.FinalUrl);
                }
            }
        }

        var discovered = pages.Count + queue.Count;
        if (queue.Count > 0)
        {
            notes.Add($"Stopped at {_options.MaxPages} pages (--max-pages); {queue.Count} more URLs of the site were found.");
        }

        if (excluded > 0)
        {
            notes.Add($"{excluded} URLs were skipped because robots.txt disallows them.");
        }

        return new CrawlResult(start, pages.ToImmutable(), discovered, notes.ToImmutable());
    }

    private static IEnumerable<Uri> LinksOf(CrawledPage page)
    {
        var response = page.Report.Site.Primary;
        if (response?.Body is not { } body || !response.IsHtml || response.Url is not { } baseUrl)
        {
            yield break;
        }

        foreach (var href in HtmlInlineScanner.ScanServedPage(body).Links)
        {
            if (Uri.TryCreate(baseUrl, href, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                yield return url;
            }
        }
    }

    // One key per page: no fragment, the scheme and host lower-cased by Uri.
    private static string Key(Uri url) => Strip(url).AbsoluteUri;

    private static Uri Strip(Uri url) => string.IsNullOrEmpty(url.Fragment) ? url : new UriBuilder(url) { Fragment = string.Empty }.Uri;

    private sealed class Scope(Uri home, bool sameOrigin)
    {
        private readonly string? _site = RegistrableDomain.Of(home.Host);

        public bool Contains(Uri url)
        {
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            {
                return false;
            }

            if (sameOrigin)
            {
                return url.Scheme == home.Scheme && url.Port == home.Port && string.Equals(url.Host, home.Host, StringComparison.OrdinalIgnoreCase);
            }

            // The same site: the same registrable domain, or the same host when there is none (IP addresses, localhost).
            return _site is null
                ? string.Equals(url.Host, home.Host, StringComparison.OrdinalIgnoreCase)
                : RegistrableDomain.Of(url.Host) == _site;
        }
    }

    // ------------------------------------------------------------------ robots.txt

    private sealed class Robots(ImmutableArray<string> disallowed, ImmutableArray<string> allowed, ImmutableArray<Uri> sitemaps)
    {
        public static readonly Robots None = new([], [], []);

        public ImmutableArray<Uri> Sitemaps { get; } = sitemaps;

        // RFC 9309 §2.2.2: the longest matching rule wins; allow wins a tie.
        public bool Allows(Uri url)
        {
            var path = url.PathAndQuery;
            var deny = Longest(disallowed, path);
            return deny < 0 || Longest(allowed, path) >= deny;
        }

        private static int Longest(ImmutableArray<string> rules, string path)
        {
            var best = -1;
            foreach (var rule in rules)
            {
                if (rule.Length > best && path.StartsWith(rule, StringComparison.Ordinal))
                {
                    best = rule.Length;
                }
            }

            return best;
        }
    }

    // Reads the group for "*" (RFC 9309 §2.2.1) with plain path prefixes; wildcards are not interpreted.
    private async Task<Robots> ReadRobotsAsync(Uri home, CancellationToken cancellationToken)
    {
        if (await _fetcher.GetTextAsync(new Uri(home, "/robots.txt"), cancellationToken).ConfigureAwait(false) is not { Status: >= 200 and < 300 } robots)
        {
            return Robots.None;
        }

        var disallowed = ImmutableArray.CreateBuilder<string>();
        var allowed = ImmutableArray.CreateBuilder<string>();
        var sitemaps = ImmutableArray.CreateBuilder<Uri>();
        var inStarGroup = false;
        var lastWasAgent = false;
        foreach (var raw in robots.Text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var field = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (field)
            {
                case "user-agent":
                    inStarGroup = (lastWasAgent && inStarGroup) || value == "*";
                    lastWasAgent = true;
                    continue;
                case "sitemap" when Uri.TryCreate(value, UriKind.Absolute, out var sitemap):
                    sitemaps.Add(sitemap);
                    break;
                case "disallow" when inStarGroup && value.Length > 0 && !value.Contains('*', StringComparison.Ordinal):
                    disallowed.Add(value.TrimEnd('$'));
                    break;
                case "allow" when inStarGroup && value.Length > 0:
                    allowed.Add(value.TrimEnd('$'));
                    break;
                default:
                    break;
            }

            lastWasAgent = false;
        }

        return new Robots(disallowed.ToImmutable(), allowed.ToImmutable(), sitemaps.ToImmutable());
    }

    // ------------------------------------------------------------------ sitemaps

    private async Task<List<Uri>> ReadSitemapsAsync(Uri home, ImmutableArray<Uri> named, CancellationToken cancellationToken)
    {
        var urls = new List<Uri>();
        var pending = new Queue<Uri>([new Uri(home, "/sitemap.xml"), .. named]);
        var read = new HashSet<string>(StringComparer.Ordinal);

        // A sitemap index may name further sitemaps; a few levels and files are plenty.
        while (pending.Count > 0 && read.Count < 10 && urls.Count < _options.MaxSitemapUrls)
        {
            var sitemap = pending.Dequeue();
            if (!read.Add(sitemap.AbsoluteUri) || await _fetcher.GetTextAsync(sitemap, cancellationToken).ConfigureAwait(false) is not { Status: >= 200 and < 300 } answer)
            {
                continue;
            }

            foreach (var (location, isIndex) in Locations(answer.Text))
            {
                if (!Uri.TryCreate(sitemap, location, out var url))
                {
                    continue;
                }

                if (isIndex)
                {
                    pending.Enqueue(url);
                }
                else if (urls.Count < _options.MaxSitemapUrls)
                {
                    urls.Add(url);
                }
            }
        }

        return urls;
    }

    // The <loc> of every <url> (pages) and <sitemap> (an index) in a sitemap (sitemaps.org protocol), read without DTDs.
    private static List<(string Location, bool IsIndex)> Locations(string xml)
    {
        var result = new List<(string, bool)>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 4 * 1024 * 1024, IgnoreComments = true };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            var inSitemap = false;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == "sitemap")
                {
                    inSitemap = true;
                }
                else if (reader.LocalName == "url")
                {
                    inSitemap = false;
                }
                else if (reader.LocalName == "loc")
                {
                    result.Add((reader.ReadElementContentAsString().Trim(), inSitemap));
                }
            }
        }
        catch (XmlException)
        {
            // A broken sitemap yields what was read before the error.
        }

        return result;
    }
}
