using System.Globalization;

namespace SecureHeaders.Reporting.Suggestions;

/// <summary>What kind of source a candidate is and what its reports said.</summary>
[Flags]
internal enum CandidateFlags
{
    None = 0,
    Inline = 1,
    Attribute = 2,
    Style = 4,
    Unverifiable = 8,
    JavaScriptUrl = 16,
    Eval = 32,
    Host = 64,
    Scheme = 128,
    TrustedTypes = 256,
}

/// <summary>One candidate addition (directive and source) with the evidence of every violation behind it.</summary>
internal sealed class Candidate(string directive, string source, bool creates)
{
    private static readonly string[] s_scriptDirectives = ["script-src", "script-src-elem", "script-src-attr", "worker-src"];
    private static readonly string[] s_navigation = ["form-action", "base-uri", "object-src", "frame-ancestors"];

    private readonly Dictionary<string, long> _pages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _clients = new(StringComparer.Ordinal);
    private readonly List<string> _samples = [];
    private readonly HashSet<string> _effective = new(StringComparer.Ordinal);

    public string Directive { get; } = directive;

    public string Source { get; } = source;

    /// <summary>True when the directive is new, started from what it used to inherit from <c>default-src</c>.</summary>
    public bool Creates { get; } = creates;

    public CandidateFlags Flags { get; private set; }

    public long Count { get; private set; }

    public DateTimeOffset FirstSeen { get; private set; } = DateTimeOffset.MaxValue;

    public DateTimeOffset LastSeen { get; private set; } = DateTimeOffset.MinValue;

    public int Documents => _pages.Count;

    public int Clients => _clients.Count;

    public bool IsStyle => (Flags & CandidateFlags.Style) != 0;

    /// <summary>The manifest kind an inline candidate's hash must have.</summary>
    public string InlineKind => (Flags & CandidateFlags.Attribute) != 0
        ? (IsStyle ? AppInlineHash.StyleAttribute : AppInlineHash.ScriptAttribute)
        : (IsStyle ? AppInlineHash.Style : AppInlineHash.Script);

    /// <summary>Reported under a directive that runs script: script-src*, worker-src, object-src.</summary>
    public bool IsScriptCapable => IsScriptDirective || _effective.Contains("object-src") || Directive == "object-src";

    public bool IsScriptDirective => s_scriptDirectives.Contains(Directive) || _effective.Overlaps(s_scriptDirectives);

    /// <summary>Where injected markup sends users or data: forms, base URLs, plugins, framing.</summary>
    public bool IsNavigation => s_navigation.Contains(Directive);

    public void Add(Violation v, CandidateFlags flags, string? sample, List<ViolationTally>? pages, List<string>? clients)
    {
        Flags |= flags;
        Count += v.Count;
        _effective.Add(v.Directive);
        if (v.FirstSeen < FirstSeen)
        {
            FirstSeen = v.FirstSeen;
        }

        if (v.LastSeen > LastSeen)
        {
            LastSeen = v.LastSeen;
        }

        if (sample is { Length: > 0 } && !_samples.Contains(sample))
        {
            _samples.Add(sample);
        }

        if (pages is null or { Count: 0 })
        {
            // Reports stored without page evidence still name the newest page.
            if (v.DocumentUrl is { Length: > 0 } page)
            {
                _pages.TryAdd(page, v.Count);
            }
        }
        else
        {
            foreach (var p in pages)
            {
                _pages[p.Value] = _pages.GetValueOrDefault(p.Value) + p.Count;
            }
        }

        foreach (var c in clients ?? [])
        {
            _clients.Add(c);
        }
    }

    public string? PayloadMarker()
    {
        foreach (var s in _samples)
        {
            if (PayloadPatterns.Find(s) is { } marker)
            {
                return marker;
            }
        }

        return null;
    }

    /// <summary>" (on /search, 3 reports)": where it happened, for the reason text.</summary>
    public string Where()
    {
        var top = _pages.OrderByDescending(static p => p.Value).Select(static p => PathOf(p.Key)).FirstOrDefault();
        var reports = Count == 1 ? "1 report" : Count.ToString(CultureInfo.InvariantCulture) + " reports";
        return top is null ? $" ({reports})" : _pages.Count == 1 ? $" (on {top}, {reports})" : $" ({_pages.Count} pages such as {top}, {reports})";
    }

    public LearnedSource ToSource(string rule, string kind, string reason) => new(
        Directive,
        Source,
        rule,
        reason,
        Count,
        Documents,
        Clients,
        FirstSeen,
        LastSeen,
        [.. _pages.OrderByDescending(static p => p.Value).ThenBy(static p => p.Key, StringComparer.Ordinal).Take(5).Select(static p => p.Key)],
        [.. _samples.Take(3)],
        kind);

    private static string PathOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
}
