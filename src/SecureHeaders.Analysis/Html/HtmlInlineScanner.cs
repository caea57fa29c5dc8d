using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace SecureHeaders.Analysis.Html;

/// <summary>
/// A small, tolerant scanner for HTML and Razor files that finds what a CSP has to allow or pin: inline
/// <c>&lt;script&gt;</c> and <c>&lt;style&gt;</c> blocks, event-handler and style attributes, <c>javascript:</c>
/// URLs, external scripts and stylesheets (for Subresource Integrity), and <c>&lt;meta&gt;</c> policies. It never
/// throws on malformed input; it reads what a browser would most likely read.
/// </summary>
/// <remarks>
/// <para>
/// It follows the HTML tokenizer where it matters for CSP: comments, doctypes and end tags are skipped; script,
/// style and the other raw-text elements (textarea, title, xmp, iframe, noembed, noframes, noscript) run to their
/// end tag, so markup inside them is not read as tags; attribute values are decoded (numeric and the common
/// named character references). Simplifications: the script "double escaped" states (<c>&lt;!--</c> inside
/// scripts) are not modelled, and only common named references are decoded.
/// </para>
/// <para>
/// Scripts with a <c>type</c> that browsers do not execute (<c>text/template</c>, <c>application/json</c>,
/// <c>application/ld+json</c>…) are skipped; <c>module</c>, <c>importmap</c> and <c>speculationrules</c> are
/// included, since CSP governs them too.
/// </para>
/// <para>
/// In Razor files (<see cref="HtmlDocumentKind.Razor"/>) C# is skipped: <c>@* *@</c> comments, <c>@{ }</c>,
/// <c>@code</c>/<c>@functions</c> blocks, and the conditions of <c>@if</c>/<c>@foreach</c>…. Inline content that
/// contains a Razor transition (<c>@</c> other than <c>@@</c> and e-mail-like <c>name@host</c>) is reported as
/// dynamic, because the served text is not the file's text: use a nonce for it. <c>@@</c> becomes <c>@</c> as
/// Razor renders it. Self-closing <c>&lt;script /&gt;</c> closes the element in Razor, as the Razor compiler does.
/// </para>
/// <para>
/// The header analysis reads served pages through <c>ScanServedPage</c>, which reads the page as the DOM
/// the Observatory queries (jsdom, scripting disabled) rather than as the code a browser may run.
/// </para>
/// </remarks>
public static class HtmlInlineScanner
{
    private static readonly string[] s_rawTextElements = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"];
    /// <summary>The most links kept from one page (for crawling); a page with more is not a page to follow them all from.</summary>
    internal const int MaxLinks = 10_000;

    private static readonly string[] s_tagStreamRawTextElements = ["script", "style", "textarea", "title", "xmp"];

    /// <summary>The JavaScript MIME type essences of the HTML standard (§ "JavaScript MIME type").</summary>
    private static readonly string[] s_javaScriptTypes =
    [
        "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
        "text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
        "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
        "text/x-ecmascript", "text/x-javascript",
    ];

    private static readonly string[] s_razorBlockKeywords = ["code", "functions"];
    private static readonly string[] s_razorControlKeywords = ["if", "for", "foreach", "while", "switch", "using", "lock", "do", "try", "catch", "else"];
    private static readonly string[] s_urlAttributes = ["href", "src", "action", "formaction", "xlink:href"];

    /// <summary>The document kind for a file name: <c>.cshtml</c> and <c>.razor</c> are Razor, everything else HTML.</summary>
    public static HtmlDocumentKind KindOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path);
        return extension.Equals(".cshtml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".razor", StringComparison.OrdinalIgnoreCase)
            ? HtmlDocumentKind.Razor
            : HtmlDocumentKind.Html;
    }

    /// <summary>Scans one document.</summary>
    public static HtmlScanResult Scan(string text, HtmlDocumentKind kind = HtmlDocumentKind.Html)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Scanner(text, kind == HtmlDocumentKind.Razor, servedPage: false).Run();
    }

    /// <summary>
    /// Scans a served HTML page for the header analysis, reading it as a DOM parser with scripting disabled builds
    /// it (the Observatory parses pages with jsdom, which does): <c>noscript</c> contents are markup,
    /// <c>template</c> contents are left out (<c>querySelectorAll</c> does not enter them), <c>plaintext</c> ends
    /// the markup, and in SVG or MathML a <c>script</c> has no <c>src</c> and the other raw-text elements are
    /// markup. <see cref="HtmlScanResult.ScriptElements"/> counts every script element found that way.
    /// </summary>
    internal static HtmlScanResult ScanServedPage(string html) => ScanServedPage(html, HtmlReading.Dom);

    /// <summary>
    /// Scans a served page the way a given Observatory release reads it: as a jsdom DOM (1.4.8), or as the flat tag
    /// stream of htmlparser2 (1.5 and later), see <see cref="HtmlReading"/>.
    /// </summary>
    internal static HtmlScanResult ScanServedPage(string html, HtmlReading reading)
    {
        ArgumentNullException.ThrowIfNull(html);
        return new Scanner(html, razor: false, servedPage: true, tagStream: reading == HtmlReading.TagStream).Run();
    }

    private sealed class Scanner(string text, bool razor, bool servedPage, bool tagStream = false)
    {
        private readonly List<int> _lineStarts = LineStarts(text);
        private readonly ImmutableArray<HtmlInlineContent>.Builder _inline = ImmutableArray.CreateBuilder<HtmlInlineContent>();
        private readonly ImmutableArray<HtmlExternalResource>.Builder _external = ImmutableArray.CreateBuilder<HtmlExternalResource>();
        private readonly ImmutableArray<HtmlMetaPolicy>.Builder _meta = ImmutableArray.CreateBuilder<HtmlMetaPolicy>();
        private readonly ImmutableArray<string>.Builder _links = ImmutableArray.CreateBuilder<string>();
        private int _pos;
        private int _scriptElements;

        // Open template and svg/math elements; only a served-page scan acts on them.
        private int _templateDepth;
        private int _foreignDepth;

        public HtmlScanResult Run()
        {

            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (razor && c == '@')
                {
                    SkipRazor();
                }
                else if (c == '<')
                {
                    ReadMarkup();
                }
                else
                {
                    _pos++;
                }
            }

            return new(_inline.ToImmutable(), _external.ToImmutable(), _meta.ToImmutable()) { ScriptElements = _scriptElements, Links = _links.ToImmutable() };
        }

        private void ReadMarkup()
        {
            if (At("<!--"))
            {
                // "<!-->" and "<!--->" are complete, empty comments (HTML §13.2.5.43 abrupt closing; htmlparser2 alike).
                var close = _pos + 4;
                if (close < text.Length && text[close] == '>')
                {
                    _pos = close + 1;
                }
                else if (close + 1 < text.Length && text[close] == '-' && text[close + 1] == '>')
                {
                    _pos = close + 2;
                }
                else
                {
                    SkipPast("-->", close);
                }
            }
            else if (tagStream && At("<![CDATA["))
            {
                // htmlparser2 reads CDATA in HTML as a comment that runs to "]]>"; browsers stop at the first ">".
                SkipPast("]]>", _pos + 9);
            }
            else if (At("</"))
            {
                ReadEndTag();
            }
            else if (At("<!") || At("<?"))
            {
                SkipPast(">", _pos + 2);
            }
            else if (_pos + 1 < text.Length && char.IsAsciiLetter(text[_pos + 1]))
            {
                ReadStartTag();
            }
            else
            {
                _pos++;
            }
        }

        private void ReadEndTag()
        {
            var nameEnd = _pos + 2;
            while (nameEnd < text.Length && !IsSpace(text[nameEnd]) && text[nameEnd] is not '/' and not '>')
            {
                nameEnd++;
            }

            switch (text[(_pos + 2)..nameEnd].ToLowerInvariant())
            {
                case "template" when _templateDepth > 0:
                    _templateDepth--;
                    break;
                case "svg" or "math" when _foreignDepth > 0:
                    _foreignDepth--;
                    break;
                default:
                    break;
            }

            SkipPast(">", nameEnd);
        }

        private void ReadStartTag()
        {
            var tagStart = _pos;
            _pos++;
            var nameStart = _pos;
            while (_pos < text.Length && !IsSpace(text[_pos]) && text[_pos] is not '/' and not '>')
            {
                _pos++;
            }

            var name = text[nameStart.._pos].ToLowerInvariant();
            var attributes = new List<(string Name, string? Value, int Position)>();
            var selfClosing = false;
            var slash = false;
            var closed = false;
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '>')
                {
                    _pos++;
                    closed = true;
                    selfClosing |= tagStream && slash;
                    break;
                }

                if (IsSpace(c))
                {
                    _pos++;
                    continue;
                }

                if (c == '/')
                {
                    selfClosing = _pos + 1 < text.Length && text[_pos + 1] == '>';
                    slash = true;
                    _pos++;
                    continue;
                }

                selfClosing = false;
                slash = false;
                attributes.Add(ReadAttribute());
            }

            // A tag cut off by the end of the page is dropped (HTML §13.2.5.32 "eof-in-tag"; htmlparser2 alike).
            if (!closed && servedPage)
            {
                return;
            }

            var line = LineOf(tagStart);
            var foreign = servedPage && !tagStream && _foreignDepth > 0;
            // A tag stream has no DOM: template contents and SVG/MathML are read like any other markup.
            var reported = !servedPage || tagStream || _templateDepth == 0;
            if (reported)
            {
                _scriptElements += name == "script" ? 1 : 0;
                HandleAttributes(name, attributes, line, foreign);
            }

            switch (name)
            {
                case "template":
                    _templateDepth++;
                    break;
                case "svg" or "math" when !selfClosing:
                    _foreignDepth++;
                    break;
                case "plaintext" when servedPage && !tagStream:
                    _pos = text.Length;
                    return;
                default:
                    break;
            }

            if (!IsRawText(name, selfClosing, foreign))
            {
                return;
            }

            var contentStart = _pos;
            var end = FindEndTag(name, contentStart);
            var content = text[contentStart..end];
            _pos = end;
            if (end < text.Length)
            {
                SkipPast(">", end);
            }

            if (reported && name is "script" or "style")
            {
                HandleBlock(name, attributes, content, line);
            }
        }

        private bool IsRawText(string name, bool selfClosing, bool foreign)
        {
            if (foreign)
            {
                // SVG and MathML have no raw-text elements; a script still runs to its end tag (unless self-closed)
                // so that code in it is not read as tags.
                return name == "script" && !selfClosing;
            }

            if (razor && selfClosing)
            {
                return false;
            }

            if (tagStream)
            {
                // htmlparser2 has five raw-text elements, and a self-closed one ("<script src=x />") is not one.
                return !selfClosing && Array.IndexOf(s_tagStreamRawTextElements, name) >= 0;
            }

            // With scripting disabled (a served-page scan), noscript contents are markup.
            return Array.IndexOf(s_rawTextElements, name) >= 0 && !(servedPage && name == "noscript");
        }

        private (string Name, string? Value, int Position) ReadAttribute()
        {
            var start = _pos;
            _pos++; // the first character may be '=' or anything else (HTML tolerates it)
            while (_pos < text.Length && !IsSpace(text[_pos]) && text[_pos] is not '/' and not '>' and not '=')
            {
                _pos++;
            }

            var name = text[start.._pos].ToLowerInvariant();
            var afterName = _pos;
            while (_pos < text.Length && IsSpace(text[_pos]))
            {
                _pos++;
            }

            if (_pos >= text.Length || text[_pos] != '=')
            {
                _pos = afterName;
                return (name, null, start);
            }

            _pos++;
            while (_pos < text.Length && IsSpace(text[_pos]))
            {
                _pos++;
            }

            if (_pos >= text.Length)
            {
                return (name, string.Empty, start);
            }

            var quote = text[_pos];
            if (quote is '"' or '\'')
            {
                _pos++;
                var valueStart = _pos;
                while (_pos < text.Length && text[_pos] != quote)
                {
                    if (razor && text[_pos] == '@' && _pos + 1 < text.Length && text[_pos + 1] == '(')
                    {
                        // @( ... ) may hold quotes of its own: skip the C# expression as a whole.
                        _pos = SkipBalanced(_pos + 1, '(', ')');
                        continue;
                    }

                    _pos++;
                }

                var value = text[valueStart..Math.Min(_pos, text.Length)];
                if (_pos < text.Length)
                {
                    _pos++;
                }

                return (name, value, start);
            }

            var unquotedStart = _pos;
            while (_pos < text.Length && !IsSpace(text[_pos]) && text[_pos] != '>')
            {
                _pos++;
            }

            return (name, text[unquotedStart.._pos], start);
        }

        private void HandleAttributes(string element, List<(string Name, string? Value, int Position)> attributes, int tagLine, bool foreign)
        {
            var hasNonce = HasNonce(attributes);
            foreach (var (name, raw, position) in attributes)
            {
                if (raw is null || name.StartsWith('@'))
                {
                    continue;
                }

                var value = Decode(raw);
                var line = LineOf(position);
                if (name.Length > 2 && name.StartsWith("on", StringComparison.Ordinal) && name.All(char.IsAsciiLetter) && value.Trim().Length > 0)
                {
                    _inline.Add(Inline(HtmlInlineKind.EventHandler, line, value, null, name, hasNonce: false));
                }
                else if (name == "style" && value.Trim().Length > 0)
                {
                    _inline.Add(Inline(HtmlInlineKind.StyleAttribute, line, value, null, name, hasNonce: false));
                }
                else if (Array.IndexOf(s_urlAttributes, name) >= 0 && value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                {
                    _inline.Add(new(HtmlInlineKind.JavaScriptUrl, line, value, null, name, false,
                        "a javascript: URL runs as inline script; move the code into an event listener in a script file"));
                }
            }

            switch (element)
            {
                case "script" when !foreign && Get(attributes, "src") is { } src:
                    _external.Add(new(HtmlExternalKind.Script, tagLine, Decode(src), Get(attributes, "integrity") is { } i ? Decode(i) : null, CrossOrigin(attributes), hasNonce));
                    break;
                case "link" when Get(attributes, "href") is { } href
                                 && Get(attributes, "rel") is { } rel && rel.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("stylesheet", StringComparer.OrdinalIgnoreCase):
                    _external.Add(new(HtmlExternalKind.Stylesheet, tagLine, Decode(href), Get(attributes, "integrity") is { } li ? Decode(li) : null, CrossOrigin(attributes), hasNonce));
                    break;
                case "a" or "area" when Get(attributes, "href") is { Length: > 0 } link && _links.Count < MaxLinks:
                    _links.Add(Decode(link).Trim());
                    break;
                case "iframe" or "frame" when Get(attributes, "src") is { Length: > 0 } frame && _links.Count < MaxLinks:
                    _links.Add(Decode(frame).Trim());
                    break;
                case "meta":
                    var content = Get(attributes, "content");
                    var httpEquiv = Get(attributes, "http-equiv") is { } equiv ? Decode(equiv).Trim().ToLowerInvariant() : null;
                    var metaName = Get(attributes, "name") is { } n ? Decode(n).Trim().ToLowerInvariant() : null;
                    if (content is not null && httpEquiv is "content-security-policy" or "content-security-policy-report-only")
                    {
                        _meta.Add(new(tagLine, httpEquiv, Decode(content)));
                    }
                    else if (content is not null && metaName == "referrer")
                    {
                        _meta.Add(new(tagLine, "referrer", Decode(content)) { ReferrerBesideHttpEquiv = httpEquiv is not null });
                    }

                    break;
                default:
                    break;
            }
        }

        private void HandleBlock(string element, List<(string Name, string? Value, int Position)> attributes, string content, int line)
        {
            if (element == "script")
            {
                if (Get(attributes, "src") is not null)
                {
                    return; // content of an external script is never executed
                }

                var type = Get(attributes, "type");
                if (!IsExecutedScriptType(type))
                {
                    return;
                }

                _inline.Add(Inline(HtmlInlineKind.Script, line, content, string.IsNullOrWhiteSpace(type) ? null : type.Trim(), null, HasNonce(attributes), block: true));
                return;
            }

            var styleType = Get(attributes, "type")?.Trim();
            if (string.IsNullOrEmpty(styleType) || styleType.Equals("text/css", StringComparison.OrdinalIgnoreCase))
            {
                _inline.Add(Inline(HtmlInlineKind.Style, line, content, null, null, HasNonce(attributes), block: true));
            }
        }

        private HtmlInlineContent Inline(HtmlInlineKind kind, int line, string content, string? type, string? attribute, bool hasNonce, bool block = false)
        {
            string? reason = null;
            if (razor)
            {
                if (HasRazorTransition(content))
                {
                    reason = block
                        ? "contains Razor expressions, so the served text differs from the file: give the element the nonce instead of a hash"
                        : "the attribute value contains Razor expressions: move the code into a script file, or use a nonce on a script that adds the listener";
                }
                else
                {
                    content = content.Replace("@@", "@", StringComparison.Ordinal);
                }
            }

            return new(kind, line, content, type, attribute, hasNonce, reason);
        }

        private static bool IsExecutedScriptType(string? type)
        {
            if (string.IsNullOrWhiteSpace(type) || type.Contains('@', StringComparison.Ordinal))
            {
                return true;
            }

            var essence = type.Split(';')[0].Trim().ToLowerInvariant();
            return essence is "module" or "importmap" or "speculationrules" || Array.IndexOf(s_javaScriptTypes, essence) >= 0;
        }

        private static bool HasNonce(List<(string Name, string? Value, int Position)> attributes) =>
            attributes.Exists(static a => a.Name == "nonce" || a.Name.EndsWith("-nonce", StringComparison.Ordinal));

        private static string? CrossOrigin(List<(string Name, string? Value, int Position)> attributes)
        {
            foreach (var attribute in attributes)
            {
                if (attribute.Name == "crossorigin")
                {
                    return attribute.Value ?? string.Empty;
                }
            }

            return null;
        }

        private static string? Get(List<(string Name, string? Value, int Position)> attributes, string name)
        {
            foreach (var attribute in attributes)
            {
                if (attribute.Name == name)
                {
                    return attribute.Value ?? string.Empty;
                }
            }

            return null;
        }

        /// <summary>True when Razor would evaluate something: <c>@</c> not doubled and not inside a word (e-mail addresses stay text).</summary>
        internal static bool HasRazorTransition(string content)
        {
            for (var i = 0; i < content.Length; i++)
            {
                if (content[i] != '@')
                {
                    continue;
                }

                if (i + 1 < content.Length && content[i + 1] == '@')
                {
                    i++;
                    continue;
                }

                if (i > 0 && char.IsAsciiLetterOrDigit(content[i - 1]) && i + 1 < content.Length && char.IsAsciiLetterOrDigit(content[i + 1]))
                {
                    continue;
                }

                return true;
            }

            return false;
        }

        private int FindEndTag(string name, int from)
        {
            var i = from;
            while (true)
            {
                i = text.IndexOf("</", i, StringComparison.Ordinal);
                if (i < 0)
                {
                    return text.Length;
                }

                var after = i + 2 + name.Length;

                // htmlparser2 ends raw text only at "</name" followed by white space or ">".
                if (after <= text.Length && string.Compare(text, i + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                    && (tagStream
                        ? after < text.Length && (IsSpace(text[after]) || text[after] == '>')
                        : after == text.Length || IsSpace(text[after]) || text[after] is '>' or '/'))
                {
                    return i;
                }

                i += 2;
            }
        }

        private void SkipRazor()
        {
            var next = _pos + 1 < text.Length ? text[_pos + 1] : '\0';
            switch (next)
            {
                case '@':
                    _pos += 2;
                    return;
                case '*':
                    SkipPast("*@", _pos + 2);
                    return;
                case '{':
                    _pos = SkipBalanced(_pos + 1, '{', '}');
                    return;
                case '(':
                    _pos = SkipBalanced(_pos + 1, '(', ')');
                    return;
                default:
                    break;
            }

            var wordEnd = _pos + 1;
            while (wordEnd < text.Length && char.IsAsciiLetter(text[wordEnd]))
            {
                wordEnd++;
            }

            var word = text[(_pos + 1)..wordEnd];
            if (Array.IndexOf(s_razorBlockKeywords, word) >= 0)
            {
                var brace = text.IndexOf('{', wordEnd);
                _pos = brace < 0 ? text.Length : SkipBalanced(brace, '{', '}');
                return;
            }

            if (Array.IndexOf(s_razorControlKeywords, word) >= 0)
            {
                var i = wordEnd;
                while (i < text.Length && IsSpace(text[i]))
                {
                    i++;
                }

                _pos = i < text.Length && text[i] == '(' ? SkipBalanced(i, '(', ')') : wordEnd;
                return;
            }

            _pos = Math.Max(wordEnd, _pos + 1);
        }

        /// <summary>Skips from an opening bracket to after its match, stepping over C# string and char literals and comments.</summary>
        private int SkipBalanced(int open, char opening, char closing)
        {
            var depth = 0;
            var i = open;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == opening)
                {
                    depth++;
                }
                else if (c == closing)
                {
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }
                else if (c is '"' or '\'')
                {
                    var verbatim = i > 0 && text[i - 1] == '@' && c == '"';
                    i++;
                    while (i < text.Length && text[i] != c && text[i] != '\n')
                    {
                        if (text[i] == '\\' && !verbatim)
                        {
                            i++;
                        }

                        i++;
                    }
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    i = text.IndexOf('\n', i);
                    if (i < 0)
                    {
                        return text.Length;
                    }
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? text.Length : end + 1;
                }

                i++;
            }

            return text.Length;
        }

        private bool At(string s) => string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0;

        private void SkipPast(string marker, int from)
        {
            var i = text.IndexOf(marker, Math.Min(from, text.Length), StringComparison.Ordinal);
            _pos = i < 0 ? text.Length : i + marker.Length;
        }

        private int LineOf(int position)
        {
            var index = _lineStarts.BinarySearch(position);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        private static List<int> LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    starts.Add(i + 1);
                }
            }

            return starts;
        }

        private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';
    }

    /// <summary>Decodes character references in an attribute value: numeric ones and the common named ones (HTML §13.2.5.72).</summary>
    internal static string Decode(string value)
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

            // Look no further than the longest reference could reach, so that a run of '&' costs linear time.
            var semicolon = value.IndexOf(';', i + 1, Math.Min(32, value.Length - i - 1));
            if (semicolon > i + 1)
            {
                var name = value[(i + 1)..semicolon];
                if (name.StartsWith('#'))
                {
                    var hex = name.Length > 1 && name[1] is 'x' or 'X';
                    var digits = hex ? name[2..] : name[1..];
                    if (int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                    {
                        // Invalid code points become U+FFFD, as the HTML parser does.
                        sb.Append(code is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) ? "\uFFFD" : char.ConvertFromUtf32(code));
                        i = semicolon;
                        continue;
                    }
                }
                else if (NamedReference(name) is { } decoded)
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

    private static string? NamedReference(string name) => name switch
    {
        "amp" or "AMP" => "&",
        "lt" or "LT" => "<",
        "gt" or "GT" => ">",
        "quot" or "QUOT" => "\"",
        "apos" => "'",
        "nbsp" => "\u00A0",
        "Tab" => "\t",
        "NewLine" => "\n",
        "excl" => "!",
        "num" => "#",
        "dollar" => "$",
        "percnt" => "%",
        "lpar" => "(",
        "rpar" => ")",
        "ast" => "*",
        "plus" => "+",
        "comma" => ",",
        "period" => ".",
        "sol" => "/",
        "colon" => ":",
        "semi" => ";",
        "equals" => "=",
        "quest" => "?",
        "commat" => "@",
        "lsqb" or "lbrack" => "[",
        "rsqb" or "rbrack" => "]",
        "bsol" => "\\",
        "lowbar" => "_",
        "grave" => "`",
        "lcub" or "lbrace" => "{",
        "rcub" or "rbrace" => "}",
        "verbar" or "vert" => "|",
        "copy" => "\u00A9",
        "reg" => "\u00AE",
        "hellip" => "\u2026",
        "mdash" => "\u2014",
        "ndash" => "\u2013",
        _ => null,
    };
}
