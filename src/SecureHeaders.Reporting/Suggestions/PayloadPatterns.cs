namespace SecureHeaders.Reporting.Suggestions;

/// <summary>
/// What injection payloads look like (the probes of XSS scanners and cheat sheets): dialog calls, cookie and domain
/// reads, markup inside code, decoding tricks. A match never allows anything; it only names the reason of a rejection.
/// </summary>
internal static class PayloadPatterns
{
    private static readonly string[] s_markers =
    [
        "alert(", "alert`", "prompt(", "confirm(", "print(", "document.cookie", "document.domain", "document.write(",
        "<script", "</script", "<img", "<svg", "<iframe", "<body", "onerror=", "onload=", "javascript:", "fromcharcode",
        "atob(", "eval(", "window.name", "location.hash", "top.location", "\\x3c", "%3c", "&lt;", "xss",
    ];

    /// <summary>The first marker found in <paramref name="sample"/>, or <see langword="null"/>.</summary>
    public static string? Find(string? sample)
    {
        if (string.IsNullOrEmpty(sample))
        {
            return null;
        }

        foreach (var marker in s_markers)
        {
            if (sample.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return marker;
            }
        }

        return null;
    }
}
