namespace SecureHeaders.Reporting.Suggestions;

/// <summary>Which stored reports a suggestion is computed from.</summary>
public sealed record LearningWindow
{
    private LearningWindow(long? sessionId, bool all)
    {
        SessionId = sessionId;
        IsAll = all;
    }

    /// <summary>The most recent learning session when there is one, otherwise every stored report.</summary>
    public static LearningWindow Latest { get; } = new(null, all: false);

    /// <summary>Every stored report, in or outside sessions.</summary>
    public static LearningWindow All { get; } = new(null, all: true);

    /// <summary>The session with <see cref="LearningSession.Id"/> <paramref name="id"/>.</summary>
    /// <param name="id">The session id.</param>
    public static LearningWindow OfSession(long id) => id > 0 ? new(id, all: false) : throw new ArgumentOutOfRangeException(nameof(id), "Session ids are positive.");

    /// <summary>The chosen session, or <see langword="null"/> for <see cref="Latest"/> and <see cref="All"/>.</summary>
    public long? SessionId { get; }

    /// <summary>True for <see cref="All"/>.</summary>
    public bool IsAll { get; }

    /// <summary><c>latest</c>, <c>all</c> or the session id, as the CLI and the API spell it.</summary>
    public override string ToString() => IsAll ? "all" : SessionId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "latest";

    /// <summary>Reads <c>latest</c>, <c>all</c> or a positive session id.</summary>
    /// <param name="text">The text.</param>
    /// <param name="window">The window.</param>
    public static bool TryParse(string? text, out LearningWindow window)
    {
        window = Latest;
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            window = All;
            return true;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            window = OfSession(id);
            return true;
        }

        return false;
    }
}

/// <summary>What to learn: which policy, which of its CSPs, from which window.</summary>
public sealed record LearningRequest
{
    /// <summary>The policy name; <see langword="null"/> for every policy that has attributed reports in the window.</summary>
    public string? Policy { get; init; }

    /// <summary>
    /// <c>report</c> for the policy's Report-Only candidate, <c>enforce</c> for its enforced CSP; <see langword="null"/>
    /// picks the Report-Only candidate when the policy has one (that is what learning is for), the enforced CSP otherwise.
    /// </summary>
    public string? Disposition { get; init; }

    /// <summary>The window. Default: <see cref="LearningWindow.Latest"/>.</summary>
    public LearningWindow Window { get; init; } = LearningWindow.Latest;

    /// <summary>Only reports seen at or after this instant, within the window.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Hashes of the app's own inline code besides those it recorded (for example from <c>--manifest</c>).</summary>
    public IReadOnlyList<AppInlineHash> InlineHashes { get; init; } = [];

    /// <summary>URL schemes whose reports are noise; <see langword="null"/> for the defaults.</summary>
    public IEnumerable<string>? IgnoredSchemes { get; init; }

    /// <summary>Hosts whose reports are noise (<c>*.</c> matches subdomains); <see langword="null"/> for none.</summary>
    public IEnumerable<string>? IgnoredHosts { get; init; }
}
