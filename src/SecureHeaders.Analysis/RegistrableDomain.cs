using System.Net;

namespace SecureHeaders.Analysis;

/// <summary>
/// The registrable domain ("eTLD+1") of a host, as the Observatory's SRI test and cookie store compute it with the
/// ICANN section of the Public Suffix List. We do not ship the whole list: a host's public suffix is taken to be its
/// last label, or its last two labels when they look like a country-code second level (<c>co.uk</c>,
/// <c>com.au</c>…). That matches the list for the hosts seen in practice.
/// </summary>
internal static class RegistrableDomain
{
    private static readonly string[] s_secondLevels =
    [
        "ac", "co", "com", "edu", "gov", "govt", "ltd", "mil", "net", "nic", "nom", "org", "plc", "sch", "ne", "or", "go", "gob",
        "gen", "biz", "info", "int", "lg", "ed", "gr", "ad", "in", "res", "web",
    ];

    /// <summary>The registrable domain, or <see langword="null"/> for IP literals, single labels and bare public suffixes.</summary>
    public static string? Of(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        host = host.TrimEnd('.').ToLowerInvariant();
        if (host.StartsWith('[') || IPAddress.TryParse(host, out _))
        {
            return null;
        }

        var labels = host.Split('.');
        var suffixLabels = IsPublicSuffixPair(labels) ? 2 : 1;
        return labels.Length <= suffixLabels ? null : string.Join('.', labels[^(suffixLabels + 1)..]);
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

    private static bool IsPublicSuffixPair(string[] labels) =>
        labels.Length >= 2 && labels[^1].Length == 2 && Array.IndexOf(s_secondLevels, labels[^2]) >= 0;
}
