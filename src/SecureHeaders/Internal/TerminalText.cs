namespace SecureHeaders.Internal;

/// <summary>
/// Makes text from untrusted sources (violation reports, scanned responses) safe to print on a terminal: control
/// characters (C0, DEL, C1: the start of escape sequences that retitle the window, move the cursor or rewrite the
/// screen), line and paragraph separators, and the bidirectional overrides, embeddings, isolates and marks that reorder
/// what is displayed ("Trojan Source", CVE-2021-42574) each become <c>?</c>. Everything else is kept as is.
/// </summary>
internal static class TerminalText
{
    public const char Replacement = '?';

    /// <summary>The text with every unsafe character replaced; the same instance when there is none.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, first), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (var i = state.first; i < span.Length; i++)
            {
                if (IsUnsafe(span[i]))
                {
                    span[i] = Replacement;
                }
            }
        });
    }

    /// <summary>True for characters a terminal acts on or that reorder the text around them.</summary>
    public static bool IsUnsafe(char c) => c switch
    {
        < '\x20' or (>= '\x7F' and <= '\x9F') => true,
        '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => true,
        '\u2028' or '\u2029' => true,
        _ => false,
    };

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
