using SecureHeaders.Internal;

namespace SecureHeaders.Tests.Internal;

public class DidYouMeanTests
{
    private static readonly string[] Words =
    [
        "script-src", "style-src", "img-src", "default-src", "base-uri", "form-action", "frame-ancestors", "sandbox",
        "allow-scripts", "allow-forms", "max-age", "includeSubDomains", "preload", "no-referrer", "same-origin", "a", "ab",
    ];

    [Theory]
    [InlineData("scrpit-src", "script-src")]
    [InlineData("SCRIPT-SRC", "script-src")]
    [InlineData("img-scr", "img-src")]
    [InlineData("defualt-src", "default-src")]
    [InlineData("includesubdomain", "includeSubDomains")]
    [InlineData("frame-ancestor", "frame-ancestors")]
    [InlineData("connect-src", null)]
    [InlineData("xyz", null)]
    public void Finds_plausible_typos_only(string input, string? expected) => Assert.Equal(expected, DidYouMean.Closest(input, Words));

    [Fact]
    public void Agrees_with_the_full_distance_table_on_random_near_misses()
    {
        var random = new Random(42);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz-ABC";
        for (var n = 0; n < 20_000; n++)
        {
            var word = Words[random.Next(Words.Length)].ToCharArray().ToList();
            for (var edits = random.Next(0, 6); edits > 0; edits--)
            {
                var at = random.Next(word.Count + 1);
                switch (random.Next(4))
                {
                    case 0 when at < word.Count: word[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1 when at < word.Count: word.RemoveAt(at); break;
                    case 2 when at + 1 < word.Count: (word[at], word[at + 1]) = (word[at + 1], word[at]); break;
                    default: word.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                }
            }

            var input = new string([.. word]);
            Assert.Equal(Reference(input, Words), DidYouMean.Closest(input, Words));
        }
    }

    [Fact]
    public void A_megabyte_input_is_compared_with_nothing()
    {
        var input = new string('a', 1_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Null(DidYouMean.Closest(input, Words));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000);
    }

    /// <summary>The textbook algorithm: the whole optimal-string-alignment table for every candidate.</summary>
    private static string? Reference(string input, string[] candidates)
    {
        var lowered = input.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var b = candidate.ToLowerInvariant();
            var d = new int[lowered.Length + 1, b.Length + 1];
            for (var i = 0; i <= lowered.Length; i++) { d[i, 0] = i; }
            for (var j = 0; j <= b.Length; j++) { d[0, j] = j; }
            for (var i = 1; i <= lowered.Length; i++)
            {
                for (var j = 1; j <= b.Length; j++)
                {
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (lowered[i - 1] == b[j - 1] ? 0 : 1));
                    if (i > 1 && j > 1 && lowered[i - 1] == b[j - 2] && lowered[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                    }
                }
            }

            if (d[lowered.Length, b.Length] < bestDistance)
            {
                best = candidate;
                bestDistance = d[lowered.Length, b.Length];
            }
        }

        return bestDistance <= Math.Clamp(lowered.Length / 3, 1, 3) ? best : null;
    }
}
