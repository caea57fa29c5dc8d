using System.Net;
using System.Reflection;

namespace SecureHeaders.Analysis;

/// <summary>
/// The registrable domain ("eTLD+1") of a host by the Public Suffix List (https://publicsuffix.org/list/, shipped in
/// Data/public_suffix_list.txt): the longest matching rule wins, an exception rule (<c>!</c>) beats every other, a
/// wildcard (<c>*.</c>) matches one label, and a host no rule matches has its last label as public suffix. The
/// Observatory's SRI test and cookie store (tldts, tough-cookie) use the ICANN section, and so does this by default.
/// </summary>
internal static class RegistrableDomain
{
    private static readonly Lazy<RuleSet> s_icann = new(() => Load(privateDomains: false));
    private static readonly Lazy<RuleSet> s_all = new(() => Load(privateDomains: true));

    /// <summary>The registrable domain, or <see langword="null"/> for IP literals, single labels and bare public suffixes.</summary>
    public static string? Of(string? host) => Of(host, includePrivate: false);

    /// <summary>The registrable domain by the ICANN section, or by both sections when <paramref name="includePrivate"/>.</summary>
    public static string? Of(string? host, bool includePrivate)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        host = host.TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0 || host.StartsWith('[') || IPAddress.TryParse(host, out _))
        {
            return null;
        }

        var labels = host.Split('.');
        if (Array.Exists(labels, static l => l.Length == 0))
        {
            return null;
        }

        var suffix = (includePrivate ? s_all : s_icann).Value.SuffixLabels(labels);
        return labels.Length <= suffix ? null : string.Join('.', labels[^(suffix + 1)..]);
    }

    /// <summary>True when the name is itself a public suffix (or an IP literal), so that a cookie may not be scoped to it.</summary>
    public static bool IsPublicSuffixOrAddress(string domain)
    {
        domain = domain.TrimEnd('.').ToLowerInvariant();
        if (domain == "localhost")
        {
            return false;
        }

        return Of(domain) is null;
    }

    private sealed class RuleSet(HashSet<string> exact, HashSet<string> wildcards, HashSet<string> exceptions)
    {
        // PSL algorithm (publicsuffix.org/list "Formal algorithm"): how many trailing labels form the public suffix.
        public int SuffixLabels(string[] labels)
        {
            var n = labels.Length;
            for (var i = 0; i < n; i++)
            {
                if (exceptions.Contains(Join(labels, i)))
                {
                    return n - i - 1;
                }
            }

            for (var i = 0; i < n; i++)
            {
                var candidate = Join(labels, i);
                if (exact.Contains(candidate) || (i + 1 < n && wildcards.Contains(Join(labels, i + 1))))
                {
                    return n - i;
                }
            }

            return 1;
        }

        private static string Join(string[] labels, int from) => string.Join('.', labels, from, labels.Length - from);
    }

    private static RuleSet Load(bool privateDomains)
    {
        HashSet<string> exact = new(StringComparer.Ordinal), wildcards = new(StringComparer.Ordinal), exceptions = new(StringComparer.Ordinal);
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SecureHeaders.Analysis.Data.public_suffix_list.txt")
            ?? throw new InvalidOperationException("The embedded Public Suffix List is missing.");
        using var reader = new StreamReader(stream);
        var inPrivate = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                inPrivate |= line.Contains("BEGIN PRIVATE DOMAINS", StringComparison.Ordinal);
                continue;
            }

            if (line.Length == 0 || (inPrivate && !privateDomains))
            {
                continue;
            }

            if (line.StartsWith('!'))
            {
                exceptions.Add(line[1..]);
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcards.Add(line[2..]);
            }
            else
            {
                exact.Add(line);
            }
        }

        return new RuleSet(exact, wildcards, exceptions);
    }
}
