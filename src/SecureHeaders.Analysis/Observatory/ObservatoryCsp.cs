using SecureHeaders.Csp;

namespace SecureHeaders.Analysis.Observatory;

/// <summary>
/// The Observatory's view of a page's CSP. Policies are tokenized by our own <see cref="CspParser.Tokenize"/>; on
/// top of that this class reproduces what the Observatory does differently from browsers: it keeps non-ASCII
/// directives and splits words on JavaScript white space, every source is lower-cased (nonces included), a policy
/// shorter than 6 characters or with a repeated directive other than <c>report-uri</c>/<c>report-to</c> is invalid,
/// a repeated reporting directive is remembered as a warning and its later values replace the earlier ones, an
/// empty <c>*-src</c> means <c>'none'</c>, several policies (header plus meta) are intersected source by source after
/// sorting with the <c>en</c> collation, and within one policy a source that merely extends the source sorted just
/// before it is dropped.
/// </summary>
internal static class ObservatoryCsp
{
    private const int ShortestPolicy = 6;
    private static readonly string[] s_allowedDuplicates = ["report-uri", "report-to"];
    private static readonly string[] s_metaDisallowed = ["frame-ancestors", "report-uri", "sandbox"];

    internal sealed class InvalidPolicyException(string message) : Exception(message);

    /// <summary>An insertion-ordered set of sources with reference identity, like a JavaScript <c>Set</c>.</summary>
    internal sealed class SourceSet
    {
        private readonly List<string> _items = [];
        private readonly HashSet<string> _members = new(StringComparer.Ordinal);

        public SourceSet(IEnumerable<string> items)
        {
            foreach (var item in items)
            {
                if (_members.Add(item))
                {
                    _items.Add(item);
                }
            }
        }

        public int Count => _members.Count;

        public IReadOnlyList<string> Items
        {
            get
            {
                // Deleted sources leave the list lazily, so that deleting many costs linear time.
                if (_items.Count != _members.Count)
                {
                    _items.RemoveAll(s => !_members.Contains(s));
                }

                return _items;
            }
        }

        public bool Has(string source) => _members.Contains(source);

        public void Delete(string source) => _members.Remove(source);

        public bool Any(Func<string, bool> predicate)
        {
            foreach (var item in Items)
            {
                if (predicate(item))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The parsed policy: directive → sources, in first-seen order, plus the repeated reporting directives.</summary>
    internal sealed class CspMap
    {
        public List<string> Order { get; } = [];

        public Dictionary<string, SourceSet> Directives { get; } = new(StringComparer.Ordinal);

        public HashSet<string> DuplicateWarnings { get; } = [];

        /// <summary>The size of the Observatory's map, which counts its duplicate-warnings entry as one more key.</summary>
        public int Size => Directives.Count + (DuplicateWarnings.Count > 0 ? 1 : 0);

        public SourceSet? Get(string name) => Directives.GetValueOrDefault(name);

        public void Remove(string name)
        {
            Directives.Remove(name);
            Order.Remove(name);
        }
    }

    private sealed class Entry(string source, int index, bool keep)
    {
        public string Source { get; } = source;

        /// <summary>The source's collation key, computed once for all the comparisons of a sort.</summary>
        public string Key { get; } = IcuCollation.PrimaryKey(source);

        public int Index { get; } = index;

        public bool Keep { get; set; } = keep;
    }

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            var primary = string.CompareOrdinal(x!.Key, y!.Key);
            return primary != 0 ? primary : IcuCollation.CompareTertiary(x.Source, y.Source);
        }
    }

    public static CspMap Parse(IReadOnlyList<string> policies)
    {
        var clean = policies.Select(static p => JsTrim(p.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal))).ToList();
        var map = new CspMap();
        if (clean.Count == 0)
        {
            return map;
        }

        foreach (var policy in clean)
        {
            if (policy.Length < ShortestPolicy)
            {
                throw new InvalidPolicyException($"The policy \"{policy}\" is shorter than {ShortestPolicy} characters.");
            }
        }

        var entries = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        for (var policyIndex = 0; policyIndex < clean.Count; policyIndex++)
        {
            // Every directive as written, repeats and non-ASCII ones included, each handled in turn as the Observatory
            // does: a repeated reporting directive is read again, so its later values win.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var token in CspParser.Tokenize(clean[policyIndex]))
            {
                var words = JsWords(token);
                if (words.Count == 0)
                {
                    continue;
                }

                var name = words[0].ToLowerInvariant();
                if (!seen.Add(name))
                {
                    if (Array.IndexOf(s_allowedDuplicates, name) < 0)
                    {
                        throw new InvalidPolicyException($"The directive {name} is repeated in policy {policyIndex}.");
                    }

                    map.DuplicateWarnings.Add(name);
                }

                var keep = policyIndex == 0;
                var combined = policyIndex == 0 || entries.GetValueOrDefault(name) is not { } earlier ? new List<Entry>(words.Count) : [.. earlier];
                for (var w = 1; w < words.Count; w++)
                {
                    combined.Add(new Entry(words[w].ToLowerInvariant(), policyIndex, keep));
                }

                if (words.Count == 1 && name.EndsWith("-src", StringComparison.Ordinal))
                {
                    combined.Add(new Entry("'none'", policyIndex, keep));
                }

                // Stable sort, like Array.prototype.sort, in the order of Intl.Collator("en").
                if (combined.Count > 1)
                {
                    combined = [.. combined.Order(EntryOrder.Instance)];
                }

                for (var k = 1; k < combined.Count; k++)
                {
                    var source = combined[k];
                    var previous = combined[k - 1];
                    if (source.Index == previous.Index && source.Source.StartsWith(previous.Source, StringComparison.Ordinal))
                    {
                        source.Keep = false;
                    }

                    if (source.Index != previous.Index && PathPartMatch(previous.Source, source.Source))
                    {
                        source.Keep = true;
                    }
                }

                // Copies of one source beyond the second change nothing (a later copy of a source always follows an
                // equal one from another policy, so it is kept), but they would make many policies cost quadratic time.
                var kept = new List<Entry>();
                foreach (var entry in combined)
                {
                    if (entry.Keep && !(kept.Count >= 2 && kept[^1].Source == entry.Source && kept[^2].Source == entry.Source))
                    {
                        kept.Add(entry);
                    }
                }

                if (!entries.ContainsKey(name))
                {
                    map.Order.Add(name);
                }

                entries[name] = kept;
                if (policyIndex == 0 && policies.Count > 1)
                {
                    foreach (var entry in kept)
                    {
                        entry.Keep = false;
                    }
                }
            }
        }

        foreach (var name in map.Order)
        {
            var sources = entries[name];
            map.Directives[name] = new SourceSet(sources.Count > 0 ? sources.Select(static e => e.Source) : ["'none'"]);
        }

        return map;
    }

    /// <summary>
    /// The words of a directive as the Observatory splits them: on JavaScript's <c>\s</c>, which besides ASCII white
    /// space takes vertical tab and Unicode spaces such as U+00A0. For ASCII-spaced text these are the token's words.
    /// </summary>
    private static List<string> JsWords(CspDirectiveToken token)
    {
        var words = new List<string>(token.Values.Length + 1);
        foreach (var word in token.Values.Insert(0, token.Name))
        {
            words.AddRange(word.Split(JsWhitespace, StringSplitOptions.RemoveEmptyEntries));
        }

        return words;
    }

    public static CspMap ParseMeta(IReadOnlyList<string> policies)
    {
        var map = Parse(policies);
        foreach (var name in s_metaDisallowed)
        {
            map.Remove(name);
        }

        return map;
    }

    // The Observatory's path-part comparison of two whole sources, split on '/', pieces percent-decoded.
    private static bool PathPartMatch(string a, string b)
    {
        if (a.Length == 0)
        {
            return true;
        }

        if (a == "/" && b.Length == 0)
        {
            return true;
        }

        var exact = !a.EndsWith('/');
        var listA = a.Split('/').ToList();
        var listB = b.Split('/');
        if (listA.Count > listB.Length)
        {
            return false;
        }

        if (exact && listA.Count != listB.Length)
        {
            return false;
        }

        if (!exact)
        {
            listA.RemoveAt(listA.Count - 1);
        }

        for (var i = 0; i < listA.Count; i++)
        {
            if (DecodeUriComponent(listA[i]) != DecodeUriComponent(listB[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>JavaScript's <c>decodeURIComponent</c>: malformed escapes or UTF-8 make the whole policy invalid.</summary>
    private static string DecodeUriComponent(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>();
        var result = new System.Text.StringBuilder();
        var strict = new System.Text.UTF8Encoding(false, true);
        void Flush()
        {
            if (bytes.Count == 0)
            {
                return;
            }

            try
            {
                result.Append(strict.GetString([.. bytes]));
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw new InvalidPolicyException("A source contains a percent-encoded sequence that is not UTF-8.");
            }

            bytes.Clear();
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%')
            {
                if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                {
                    throw new InvalidPolicyException("A source contains a malformed percent escape.");
                }

                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                Flush();
                result.Append(value[i]);
            }
        }

        Flush();
        return result.ToString();
    }

    /// <summary>JavaScript's <c>String.prototype.trim</c>: white space and line terminators, Unicode included.</summary>
    internal static string JsTrim(string value) => value.Trim(JsWhitespace);

    internal static readonly char[] JsWhitespace =
    [
        '\t', '\n', '\v', '\f', '\r', ' ', '\u00A0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
        '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF',
    ];
}
