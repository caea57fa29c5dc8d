using System.Collections.Frozen;
using System.Collections.Immutable;

namespace SecureHeaders.Analysis.Observatory;

/// <summary>The outcome of one of the Observatory's tests, named as Mozilla HTTP Observatory names it.</summary>
/// <param name="Name">The test name, e.g. <c>content-security-policy</c>.</param>
/// <param name="Result">The result name, e.g. <c>csp-implemented-with-no-unsafe</c>.</param>
/// <param name="ScoreModifier">What the result adds to or takes from the score.</param>
/// <param name="Pass">The test's pass flag (independent of the modifier's sign in a few cases).</param>
/// <param name="Expectation">The result the Observatory expects of a well-configured site.</param>
/// <param name="Detail">What was read to reach the result (the header value, the cookie, the script…), for people.</param>
public sealed record ObservatoryTestResult(string Name, string Result, int ScoreModifier, bool Pass, string Expectation, string? Detail = null);

/// <summary>
/// The Observatory-compatible verdict: the tests, the score and the letter grade exactly as the chosen release of
/// Mozilla HTTP Observatory computes them (see <see cref="ObservatoryVersion"/>), quirks included.
/// </summary>
public sealed class ObservatoryResult
{
    internal ObservatoryResult(ObservatoryVersion version, ImmutableArray<ObservatoryTestResult> tests, string? error = null)
    {
        Version = version;
        Tests = tests;
        Error = error;
        var uncurved = 100;
        var withBonus = 100;
        foreach (var test in tests)
        {
            withBonus += test.ScoreModifier;
            if (test.ScoreModifier < 0)
            {
                uncurved += test.ScoreModifier;
            }
        }

        UncurvedScore = uncurved;
        Score = Math.Max(0, uncurved >= ObservatoryScoring.MinimumScoreForExtraCredit ? withBonus : uncurved);
        Grade = ObservatoryScoring.GradeFor(Score);
        TestsPassed = tests.Count(static t => t.Pass);
    }

    /// <summary>The Observatory release this verdict reproduces.</summary>
    public ObservatoryVersion Version { get; }

    /// <summary>The scoring algorithm version of that release (4 for 1.4.8, 5 for 1.6.3, 6 for main).</summary>
    public int AlgorithmVersion => Version.AlgorithmVersion();

    /// <summary>How many tests the release runs (10, or 12 on main).</summary>
    public int TestsQuantity => ObservatoryScoring.TestNamesOf(Version).Length;

    /// <summary>
    /// The score: 100 plus every modifier when the penalties alone leave at least 90, else 100 plus the penalties
    /// only (bonuses are dropped). Floored at 0, not capped.
    /// </summary>
    public int Score { get; }

    /// <summary>100 plus the negative modifiers only.</summary>
    public int UncurvedScore { get; }

    /// <summary>The letter grade (A+ … F) of <see cref="Score"/>.</summary>
    public string Grade { get; }

    /// <summary>How many of the tests passed.</summary>
    public int TestsPassed { get; }

    /// <summary>How many of the tests failed.</summary>
    public int TestsFailed => TestsQuantity - TestsPassed;

    /// <summary>The test results, in the Observatory's run order. Empty when <see cref="Error"/> is set.</summary>
    public ImmutableArray<ObservatoryTestResult> Tests { get; }

    /// <summary>Why the Observatory would abort the scan ("The site seems to be down.", an unexpected status…), or <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>The result of one test by name, or <see langword="null"/>.</summary>
    public ObservatoryTestResult? this[string testName] => Tests.FirstOrDefault(t => t.Name == testName);

    internal static ObservatoryResult Failed(ObservatoryVersion version, string error) => new(version, [], error);
}

/// <summary>The Observatory's fixed tables: test names, result modifiers, the grade chart.</summary>
public static class ObservatoryScoring
{
    /// <summary>Bonuses count only when 100 plus the penalties is at least this.</summary>
    public const int MinimumScoreForExtraCredit = 90;

    /// <summary>The ten test names of 1.4.8 and 1.6.3, in run order.</summary>
    public static readonly ImmutableArray<string> TestNames =
    [
        "content-security-policy", "cookies", "cross-origin-resource-sharing", "redirection", "referrer-policy",
        "strict-transport-security", "subresource-integrity", "x-content-type-options", "x-frame-options",
        "cross-origin-resource-policy",
    ];

    /// <summary>The twelve test names of main, in run order (COEP and COOP run after cookies).</summary>
    public static readonly ImmutableArray<string> MainTestNames =
    [
        "content-security-policy", "cookies", "cross-origin-embedder-policy", "cross-origin-opener-policy",
        "cross-origin-resource-sharing", "redirection", "referrer-policy", "strict-transport-security",
        "subresource-integrity", "x-content-type-options", "x-frame-options", "cross-origin-resource-policy",
    ];

    /// <summary>The test names a release runs, in run order.</summary>
    public static ImmutableArray<string> TestNamesOf(ObservatoryVersion version) =>
        version.HasCrossOriginIsolationTests() ? MainTestNames : TestNames;

    private static readonly FrozenDictionary<string, int> s_modifiers = new Dictionary<string, int>
    {
        ["csp-implemented-with-no-unsafe-default-src-none"] = 10,
        ["csp-implemented-with-no-unsafe"] = 5,
        ["csp-implemented-with-unsafe-inline-in-style-src-only"] = 0,
        ["csp-implemented-with-insecure-scheme-in-passive-content-only"] = -10,
        ["csp-implemented-with-unsafe-eval"] = -10,
        ["csp-implemented-with-unsafe-inline"] = -20,
        ["csp-implemented-with-insecure-scheme"] = -20,
        ["csp-header-invalid"] = -25,
        ["csp-not-implemented"] = -25,
        ["csp-not-implemented-but-reporting-enabled"] = -25,
        ["csp-implemented-but-duplicate-directives"] = 0,
        ["cookies-secure-with-httponly-sessions-and-samesite"] = 5,
        ["cookies-secure-with-httponly-sessions"] = 0,
        ["cookies-not-found"] = 0,
        ["cookies-without-secure-flag-but-protected-by-hsts"] = -5,
        ["cookies-session-without-secure-flag-but-protected-by-hsts"] = -10,
        ["cookies-without-secure-flag"] = -20,
        ["cookies-samesite-flag-invalid"] = -20,
        ["cookies-anticsrf-without-samesite-flag"] = -20,
        ["cookies-session-without-httponly-flag"] = -30,
        ["cookies-session-without-secure-flag"] = -40,
        ["cross-origin-resource-sharing-not-implemented"] = 0,
        ["cross-origin-resource-sharing-implemented-with-public-access"] = 0,
        ["cross-origin-resource-sharing-implemented-with-restricted-access"] = 0,
        ["cross-origin-resource-sharing-implemented-with-universal-access"] = -50,
        ["redirection-all-redirects-preloaded"] = 0,
        ["redirection-to-https"] = 0,
        ["redirection-not-needed-no-http"] = 0,
        ["redirection-off-host-from-http"] = -5,
        ["redirection-not-to-https-on-initial-redirection"] = -10,
        ["redirection-not-to-https"] = -20,
        ["redirection-missing"] = -20,
        ["redirection-invalid-cert"] = -20,
        ["referrer-policy-private"] = 5,
        ["referrer-policy-not-implemented"] = 0,
        ["referrer-policy-unsafe"] = -5,
        ["referrer-policy-header-invalid"] = -5,
        ["hsts-preloaded"] = 5,
        ["hsts-implemented-max-age-at-least-six-months"] = 0,
        ["hsts-implemented-max-age-less-than-six-months"] = -10,
        ["hsts-not-implemented"] = -20,
        ["hsts-header-invalid"] = -20,
        ["hsts-not-implemented-no-https"] = -20,
        ["hsts-invalid-cert"] = -20,
        ["sri-implemented-and-all-scripts-loaded-securely"] = 5,
        ["sri-implemented-and-external-scripts-loaded-securely"] = 5,
        ["sri-not-implemented-response-not-html"] = 0,
        ["sri-not-implemented-but-no-scripts-loaded"] = 0,
        ["sri-not-implemented-but-all-scripts-loaded-from-secure-origin"] = 0,
        ["sri-not-implemented-but-external-scripts-loaded-securely"] = -5,
        ["sri-implemented-but-external-scripts-not-loaded-securely"] = -20,
        ["sri-not-implemented-and-external-scripts-not-loaded-securely"] = -50,
        ["x-content-type-options-nosniff"] = 0,
        ["x-content-type-options-not-implemented"] = -5,
        ["x-content-type-options-header-invalid"] = -5,
        ["x-frame-options-implemented-via-csp"] = 5,
        ["x-frame-options-sameorigin-or-deny"] = 0,
        ["x-frame-options-allow-from-origin"] = 0,
        ["x-frame-options-not-implemented"] = -20,
        ["x-frame-options-header-invalid"] = -20,
        ["corp-header-invalid"] = -5,
        ["corp-implemented-with-cross-origin"] = 0,
        ["corp-implemented-with-same-origin"] = 10,
        ["corp-implemented-with-same-site"] = 10,
        ["corp-not-implemented"] = 0,
        ["html-not-parseable"] = -20,

        // main (#498): cross-origin isolation.
        ["coop-implemented-with-same-origin"] = 10,
        ["coop-implemented-with-same-origin-allow-popups"] = 10,
        ["coop-implemented-with-noopener-allow-popups"] = 10,
        ["coop-implemented-with-unsafe-none"] = 0,
        ["coop-not-implemented"] = 0,
        ["coop-header-invalid"] = -5,
        ["coep-implemented-with-require-corp"] = 10,
        ["coep-implemented-with-credentialless"] = 10,
        ["coep-implemented-with-unsafe-none"] = 0,
        ["coep-not-implemented"] = 0,
        ["coep-header-invalid"] = -5,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every result name the Observatory can give (in any supported release).</summary>
    public static IEnumerable<string> ResultNames => s_modifiers.Keys;

    /// <summary>The score modifier of a result name in 1.4.8 (0 for an unknown name, as the Observatory does).</summary>
    public static int ModifierOf(string result) => ModifierOf(result, ObservatoryVersion.Release148);

    /// <summary>The score modifier of a result name in a release (0 for an unknown name, as the Observatory does).</summary>
    public static int ModifierOf(string result, ObservatoryVersion version)
    {
        ArgumentNullException.ThrowIfNull(result);

        // 1.5.0 (#332): X-Frame-Options is no longer deprecated and is worth as much as frame-ancestors.
        if (result == "x-frame-options-sameorigin-or-deny" && version.RewardsXFrameOptions())
        {
            return 5;
        }

        return s_modifiers.GetValueOrDefault(result);
    }

    /// <summary>The letter grade of a score: round down to a multiple of 5, cap at 100, then look up the chart.</summary>
    public static string GradeFor(int score)
    {
        var key = Math.Min(Math.Max(score, 0) / 5 * 5, 100);
        return key switch
        {
            100 => "A+",
            >= 90 => "A",
            85 => "A-",
            80 => "B+",
            >= 70 => "B",
            65 => "B-",
            60 => "C+",
            >= 50 => "C",
            45 => "C-",
            40 => "D+",
            >= 30 => "D",
            25 => "D-",
            _ => "F",
        };
    }

    /// <summary>
    /// Orders grades from worst to best (<c>F</c> &lt; <c>D-</c> &lt; … &lt; <c>A+</c>); returns -1 for a string that
    /// is not a grade.
    /// </summary>
    public static int RankOf(string grade) => Array.IndexOf(s_gradeOrder, grade?.Trim().ToUpperInvariant());

    private static readonly string?[] s_gradeOrder = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"];
}
