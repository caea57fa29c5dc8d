namespace SecureHeaders.Analysis.Observatory;

/// <summary>
/// String order of <c>Intl.Collator("en")</c> (ICU root collation, punctuation not ignorable) for the characters that
/// appear in CSP source lists. The Observatory sorts sources with it before it drops a source that merely extends the
/// one sorted just before it, so which sources survive depends on this order, not on ordinal order.
/// </summary>
internal sealed class IcuCollation : IComparer<string>
{
    public static readonly IcuCollation Instance = new();

    // The printable ASCII characters in ICU root primary order; upper case shares the weight of lower case and sorts after it.
    private const string PrimaryOrder = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

    private static readonly int[] s_weights = BuildWeights();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var primary = ComparePrimary(x, y);
        if (primary != 0)
        {
            return primary;
        }

        return CompareTertiary(x, y);
    }

    /// <summary>
    /// The primary weights of a string as a string whose ordinal order is the primary order (ignorable characters
    /// left out), so that a sort computes each string's weights once rather than at every comparison.
    /// </summary>
    public static string PrimaryKey(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Create(CountWeighted(value), value, static (span, text) =>
        {
            var k = 0;
            foreach (var c in text)
            {
                var weight = Weight(c);
                if (weight != 0)
                {
                    span[k++] = (char)Math.Min(weight < 1000 ? weight : weight - 1000 + 256, char.MaxValue);
                }
            }
        });
    }

    private static int CountWeighted(string value)
    {
        var count = 0;
        foreach (var c in value)
        {
            count += Weight(c) == 0 ? 0 : 1;
        }

        return count;
    }

    /// <summary>The tertiary level alone, for strings whose primary keys are equal.</summary>
    public static int CompareTertiary(string x, string y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);

        // Tertiary level: lower case before upper case, position by position.
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                var xu = char.IsAsciiLetterUpper(x[i]);
                var yu = char.IsAsciiLetterUpper(y[i]);
                if (xu != yu)
                {
                    return xu ? 1 : -1;
                }
            }
        }

        return 0;
    }

    private static int ComparePrimary(string x, string y)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < x.Length && Weight(x[i]) == 0)
            {
                i++;
            }

            while (j < y.Length && Weight(y[j]) == 0)
            {
                j++;
            }

            if (i >= x.Length || j >= y.Length)
            {
                return (i >= x.Length ? 0 : 1) - (j >= y.Length ? 0 : 1);
            }

            var difference = Weight(x[i]) - Weight(y[j]);
            if (difference != 0)
            {
                return difference;
            }

            i++;
            j++;
        }
    }

    private static int Weight(char c)
    {
        if (c < 128)
        {
            return s_weights[c];
        }

        // Non-ASCII characters sort after ASCII, by code unit (an approximation of the full root collation).
        return 1000 + c;
    }

    private static int[] BuildWeights()
    {
        var weights = new int[128];
        for (var i = 0; i < PrimaryOrder.Length; i++)
        {
            weights[PrimaryOrder[i]] = i + 10;
        }

        for (var c = 'A'; c <= 'Z'; c++)
        {
            weights[c] = weights[char.ToLowerInvariant(c)];
        }

        // Tab, line breaks and other controls: tab/LF/VT/FF/CR are whitespace before space; the rest is ignorable (0).
        weights['\t'] = 1;
        weights['\n'] = 2;
        weights['\v'] = 3;
        weights['\f'] = 4;
        weights['\r'] = 5;
        return weights;
    }
}
