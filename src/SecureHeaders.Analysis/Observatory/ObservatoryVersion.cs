namespace SecureHeaders.Analysis.Observatory;

/// <summary>Which release of Mozilla HTTP Observatory the grader reproduces.</summary>
public enum ObservatoryVersion
{
    /// <summary>
    /// 1.6.3 (July 2026), scoring algorithm 5: <c>X-Frame-Options</c> DENY/SAMEORIGIN earns +5 (1.5.0), CSP header
    /// values are split on commas into separate policies (1.6.2), pages are read with htmlparser2 instead of jsdom
    /// (so scripts inside <c>&lt;template&gt;</c> count and a script's <c>src</c> is read as written).
    /// The default.
    /// </summary>
    Release163 = 0,

    /// <summary>1.4.8 (October 2025), scoring algorithm 4: the ten tests as they were before 1.5.0.</summary>
    Release148 = 1,

    /// <summary>
    /// The unreleased main branch (commit 94042bb, August 2026), scoring algorithm 6: 1.6.3 plus the
    /// <c>cross-origin-opener-policy</c> and <c>cross-origin-embedder-policy</c> tests (up to +10 each), twelve tests.
    /// </summary>
    Main = 2,
}

/// <summary>Names and properties of <see cref="ObservatoryVersion"/> values.</summary>
public static class ObservatoryVersions
{
    /// <summary>The version graded when none is asked for: the newest release.</summary>
    public const ObservatoryVersion Default = ObservatoryVersion.Release163;

    /// <summary>The labels accepted by <see cref="TryParse"/>, newest release first.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["1.6.3", "1.4.8", "main"];

    /// <summary>The label of a version: <c>1.4.8</c>, <c>1.6.3</c> or <c>main</c>.</summary>
    public static string Label(this ObservatoryVersion version) => version switch
    {
        ObservatoryVersion.Release148 => "1.4.8",
        ObservatoryVersion.Main => "main",
        _ => "1.6.3",
    };

    /// <summary>Reads a label (<c>1.4.8</c>, <c>1.6.3</c>, <c>main</c>; case-insensitive).</summary>
    public static bool TryParse(string? label, out ObservatoryVersion version)
    {
        switch (label?.Trim().ToLowerInvariant())
        {
            case "1.4.8":
                version = ObservatoryVersion.Release148;
                return true;
            case "1.6.3":
                version = ObservatoryVersion.Release163;
                return true;
            case "main":
                version = ObservatoryVersion.Main;
                return true;
            default:
                version = Default;
                return false;
        }
    }

    /// <summary>The Observatory's <c>algorithmVersion</c> for this release (4, 5 or 6).</summary>
    public static int AlgorithmVersion(this ObservatoryVersion version) => version switch
    {
        ObservatoryVersion.Release148 => 4,
        ObservatoryVersion.Main => 6,
        _ => 5,
    };

    /// <summary>True from 1.5.0 on: X-Frame-Options DENY/SAMEORIGIN is worth +5.</summary>
    internal static bool RewardsXFrameOptions(this ObservatoryVersion version) => version != ObservatoryVersion.Release148;

    /// <summary>True from 1.6.2 on (#496): a CSP header value is split on commas into policies.</summary>
    internal static bool SplitsCspOnCommas(this ObservatoryVersion version) => version != ObservatoryVersion.Release148;

    /// <summary>True after 1.4.8: pages are read with htmlparser2 (a tag stream) instead of a jsdom DOM.</summary>
    internal static bool ReadsPagesAsTagStream(this ObservatoryVersion version) => version != ObservatoryVersion.Release148;

    /// <summary>True on main (#498): the COOP and COEP tests exist.</summary>
    internal static bool HasCrossOriginIsolationTests(this ObservatoryVersion version) => version == ObservatoryVersion.Main;
}
