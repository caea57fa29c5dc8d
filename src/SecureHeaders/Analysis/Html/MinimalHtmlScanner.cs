using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SecureHeaders.Analysis.Html;

/// <summary>
/// A small, tolerant HTML tokenizer (after the tokenization rules of the HTML Standard §13.2.5, simplified) that
/// finds <c>meta</c> and <c>script</c> start tags. It skips comments, doctype and processing instructions, the raw
/// text of <c>script</c>/<c>style</c>/<c>textarea</c>/<c>title</c> and friends, and <c>template</c> contents, and it
/// treats <c>noscript</c> contents as markup (as a parser with scripting disabled does). It builds no tree.
/// </summary>
internal sealed class MinimalHtmlScanner : IHtmlScanner
{
    public static readonly MinimalHtmlScanner Instance = new();

    private static readonly string[] s_rawText = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

    public HtmlScan Scan(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var metas = ImmutableArray.CreateBuilder<HtmlMetaElement>();
        var scripts = ImmutableArray.CreateBuilder<HtmlScriptElement>();
        var foreignDepth = 0;
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                break;
            }

            i = lt + 1;
            var c = html[i];
            if (c == '!')
            {
                if (string.CompareOrdinal(html, i, "!--", 0, 3) == 0)
                {
                    var end = html.IndexOf("-->", i + 3, StringComparison.Ordinal);
                    i = end < 0 ? html.Length : end + 3;
                }
                else
                {
                    i = SkipTo(html, i, '>');
                }

                continue;
            }

            if (c == '?')
            {
                i = SkipTo(html, i, '>');
                continue;
            }

            if (c == '/')
            {
                var (endName, afterEnd) = ReadName(html, i + 1);
                if (endName is "svg" or "math" && foreignDepth > 0)
                {
                    foreignDepth--;
                }

                i = SkipTo(html, afterEnd, '>');
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                continue;
            }

            var (name, afterName) = ReadName(html, i);
            var attributes = ReadAttributes(html, afterName, out var afterTag, out var selfClosing);
            i = afterTag;
            switch (name)
            {
                case "meta":
                    metas.Add(new HtmlMetaElement(attributes));
                    break;
                case "script":
                    scripts.Add(new HtmlScriptElement(
                        foreignDepth > 0 ? null : attributes.GetValueOrDefault("src"),
                        attributes.GetValueOrDefault("integrity"),
                        attributes.GetValueOrDefault("crossorigin"),
                        foreignDepth > 0));
                    if (!selfClosing || foreignDepth == 0)
                    {
                        i = SkipRawText(html, i, name);
                    }

                    break;
                case "svg" or "math":
                    if (!selfClosing)
                    {
                        foreignDepth++;
                    }

                    break;
                case "template":
                    i = SkipRawText(html, i, name);
                    break;
                case "plaintext":
                    i = html.Length;
                    break;
                default:
                    if (foreignDepth == 0 && Array.IndexOf(s_rawText, name) >= 0)
                    {
                        i = SkipRawText(html, i, name);
                    }

                    break;
            }
        }

        return new HtmlScan(metas.ToImmutable(), scripts.ToImmutable());
    }

    private static int SkipTo(string html, int from, char c)
    {
        var end = html.IndexOf(c, from);
        return end < 0 ? html.Length : end + 1;
    }

    private static int SkipRawText(string html, int from, string name)
    {
        var i = from;
        while (true)
        {
            var end = html.IndexOf("</", i, StringComparison.Ordinal);
            if (end < 0)
            {
                return html.Length;
            }

            var after = end + 2 + name.Length;
            if (after <= html.Length && string.Compare(html, end + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after == html.Length || html[after] is '>' or '/' or ' ' or '\t' or '\n' or '\f' or '\r'))
            {
                return SkipTo(html, after, '>');
            }

            i = end + 2;
        }
    }

    private static (string Name, int End) ReadName(string html, int from)
    {
        var i = from;
        while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>')
        {
            i++;
        }

        return (html[from..i].ToLowerInvariant(), i);
    }

    private static ImmutableDictionary<string, string> ReadAttributes(string html, int from, out int end, out bool selfClosing)
    {
        var attributes = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        selfClosing = false;
        var i = from;
        while (i < html.Length)
        {
            while (i < html.Length && (IsSpace(html[i]) || html[i] == '/'))
            {
                selfClosing = html[i] == '/';
                i++;
            }

            if (i >= html.Length)
            {
                break;
            }

            if (html[i] == '>')
            {
                i++;
                end = i;
                return attributes.ToImmutable();
            }

            selfClosing = false;
            var nameStart = i;
            i++;
            while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>' and not '=')
            {
                i++;
            }

            var name = html[nameStart..i].ToLowerInvariant();
            while (i < html.Length && IsSpace(html[i]))
            {
                i++;
            }

            var value = string.Empty;
            if (i < html.Length && html[i] == '=')
            {
                i++;
                while (i < html.Length && IsSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var quote = html[i];
                    var close = html.IndexOf(quote, i + 1);
                    close = close < 0 ? html.Length : close;
                    value = html[(i + 1)..close];
                    i = Math.Min(close + 1, html.Length);
                }
                else
                {
                    var valueStart = i;
                    while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    value = html[valueStart..i];
                }
            }

            attributes.TryAdd(name, DecodeCharacterReferences(value));
        }

        end = html.Length;
        return attributes.ToImmutable();
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    /// <summary>Decodes numeric references and the few named ones that matter in attribute values.</summary>
    internal static string DecodeCharacterReferences(string value)
    {
        if (!value.Contains('&', StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '&')
            {
                sb.Append(value[i]);
                continue;
            }

            var semicolon = value.IndexOf(';', i + 1);
            if (semicolon > i + 1 && semicolon - i <= 10)
            {
                var entity = value[(i + 1)..semicolon];
                string? decoded = entity switch
                {
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    "lt" => "<",
                    "gt" => ">",
                    "nbsp" => "\u00A0",
                    _ when entity.StartsWith("#x", StringComparison.OrdinalIgnoreCase)
                        && int.TryParse(entity.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex is > 0 and <= 0x10FFFF
                        => char.ConvertFromUtf32(hex is >= 0xD800 and <= 0xDFFF ? 0xFFFD : hex),
                    _ when entity.StartsWith('#')
                        && int.TryParse(entity.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var dec) && dec is > 0 and <= 0x10FFFF
                        => char.ConvertFromUtf32(dec is >= 0xD800 and <= 0xDFFF ? 0xFFFD : dec),
                    _ => null,
                };
                if (decoded is not null)
                {
                    sb.Append(decoded);
                    i = semicolon;
                    continue;
                }
            }

            sb.Append('&');
        }

        return sb.ToString();
    }
}
