using System.Text;
using SecureHeaders.Headers;

namespace SecureHeaders.Build.StaticHosting;

/// <summary>
/// Writes the <c>_headers</c> file that Netlify and Cloudflare Pages read: a <c>/*</c> rule with one indented
/// <c>Name: value</c> line per header. The block sits between marker comments so that publishing again replaces
/// it and keeps the rules the user wrote around it.
/// </summary>
internal static class NetlifyHeadersWriter
{
    /// <summary>The first line of the generated block.</summary>
    public const string BeginMarker = "# SecureHeaders: begin (written at publish from the SecureHeaders policy; edit the policy, not this block)";

    /// <summary>The last line of the generated block.</summary>
    public const string EndMarker = "# SecureHeaders: end";

    /// <summary>Cloudflare Pages ignores a header line longer than this.</summary>
    public const int CloudflareMaxLine = 2000;

    /// <summary>The file's new text: <paramref name="existing"/> (the user's file, if any) with the generated block replaced or put first.</summary>
    public static string Write(IReadOnlyList<HeaderField> headers, string? existing)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var block = new StringBuilder();
        block.Append(BeginMarker).Append('\n').Append("/*\n");
        foreach (var header in headers)
        {
            block.Append("  ").Append(header.Name).Append(": ").Append(header.Value).Append('\n');
        }

        block.Append(EndMarker).Append('\n');
        if (string.IsNullOrEmpty(existing))
        {
            return block.ToString();
        }

        var text = existing.Replace("\r\n", "\n", StringComparison.Ordinal);
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = begin < 0 ? -1 : text.IndexOf(EndMarker, begin, StringComparison.Ordinal);
        if (begin >= 0 && end >= 0)
        {
            var after = end + EndMarker.Length;
            if (after < text.Length && text[after] == '\n')
            {
                after++;
            }

            return text[..begin] + block + text[after..];
        }

        return block + "\n" + text;
    }

    /// <summary>Headers whose line Cloudflare Pages would ignore for its length.</summary>
    public static IEnumerable<string> TooLongForCloudflare(IReadOnlyList<HeaderField> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var header in headers)
        {
            if (header.Name.Length + 2 + header.Value.Length > CloudflareMaxLine)
            {
                yield return header.Name;
            }
        }
    }
}
