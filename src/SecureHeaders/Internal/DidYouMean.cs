namespace SecureHeaders.Internal;

/// <summary>Finds the closest known word to a misspelt one, for "did you mean" hints.</summary>
/// <remarks>
/// Input comes from headers and configuration, so it may be megabytes long and arrive by the hundred thousand
/// (one per unknown directive). A hint allows at most three edits and an edit changes the length by at most one, so
/// a candidate whose length differs by more is skipped without computing anything; the distance runs in three
/// rows of the candidate's length on the stack and stops as soon as a whole row exceeds the allowance. Time and
/// memory are bounded by the candidates' size, whatever the input.
/// </remarks>
internal static class DidYouMean
{
    private const int MaxStackWidth = 128;

    /// <summary>Returns the candidate with the smallest edit distance, if it is close enough to be a plausible typo.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        // A third of the word (at least 1, at most 3 edits) separates typos from different words.
        var allowed = Math.Clamp(input.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = allowed + 1;
        ulong inputLetters = 0;
        foreach (var candidate in candidates)
        {
            if (Math.Abs(candidate.Length - input.Length) >= bestDistance)
            {
                continue;
            }

            // Each character of one word that the other lacks costs an edit of its own (a transposition only moves
            // characters both have), so counting them bounds the distance from below in one pass.
            if (inputLetters == 0)
            {
                inputLetters = Letters(input);
            }

            if (Math.Max(Missing(input, Letters(candidate)), Missing(candidate, inputLetters)) >= bestDistance)
            {
                continue;
            }

            var distance = Distance(input, candidate, bestDistance - 1);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// Levenshtein distance with adjacent transpositions (optimal string alignment), ignoring case; any value above
    /// <paramref name="limit"/> comes back as <c>limit + 1</c>.
    /// </summary>
    private static int Distance(string a, string b, int limit)
    {
        if (a.Length < b.Length)
        {
            (a, b) = (b, a);
        }

        // Rows over the shorter word (a known name, in practice): two rows back are needed for transpositions.
        var width = b.Length + 1;
        Span<int> rows = width <= MaxStackWidth ? stackalloc int[3 * width] : new int[3 * width];
        var previous2 = rows[..width];
        var previous = rows.Slice(width, width);
        var current = rows.Slice(2 * width, width);
        for (var j = 0; j < width; j++)
        {
            previous[j] = j;
        }

        var previousMinimum = 0;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = i;
            var ai = Fold(a[i - 1]);
            for (var j = 1; j < width; j++)
            {
                var bj = Fold(b[j - 1]);
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (ai == bj ? 0 : 1));
                if (i > 1 && j > 1 && ai == Fold(b[j - 2]) && Fold(a[i - 2]) == bj)
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            // Every later cell descends from this row or, by a transposition, from the one before; once both
            // exceed the limit, so does the distance.
            if (rowMinimum > limit && previousMinimum > limit)
            {
                return limit + 1;
            }

            previousMinimum = rowMinimum;

            var recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }

        return Math.Min(previous[width - 1], limit + 1);
    }

    private static char Fold(char c) => char.ToLowerInvariant(c);

    /// <summary>The set of characters of a word, folded into 64 buckets (a collision only weakens the bound).</summary>
    private static ulong Letters(string word)
    {
        ulong set = 0;
        foreach (var c in word)
        {
            set |= 1UL << (Fold(c) & 63);
        }

        return set;
    }

    /// <summary>How many characters of <paramref name="word"/> are absent from <paramref name="other"/>'s set.</summary>
    private static int Missing(string word, ulong other)
    {
        var missing = 0;
        foreach (var c in word)
        {
            if ((other & (1UL << (Fold(c) & 63))) == 0)
            {
                missing++;
            }
        }

        return missing;
    }
}
