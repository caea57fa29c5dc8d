using System.Buffers;
using System.Text;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Streams an HTML response and adds the response's nonce to the start tags that load one of the application's own
/// static scripts: <c>&lt;script src&gt;</c> and <c>&lt;link rel="modulepreload"&gt;</c> (or <c>rel="preload"
/// as="script"</c>) whose URL, resolved against the page's <c>&lt;base href&gt;</c>, is a script file the
/// application serves as a static asset. This is what lets <c>_framework/blazor.web.js</c>, the reconnect dialog's
/// module and a component library's script run under <c>'nonce' 'strict-dynamic'</c> without a markup change.
/// </summary>
/// <remarks>
/// <para>Inline scripts and styles never get a nonce here: whatever markup an attacker injects stays blocked. An
/// injected tag could at most load one of the application's own static script files, which <c>'self'</c> allows
/// in every CSP2 policy; dynamic endpoints, uploads outside the static assets and other origins stay blocked.</para>
/// <para>The scanner follows the HTML tokenizer far enough to be safe (HTML §13.2.5): tags are recognised only in
/// data, never inside comments, attribute values, or the raw text of <c>script</c>, <c>style</c>,
/// <c>textarea</c> and <c>title</c>; a tag is held back until its <c>&gt;</c> (at most <see cref="MaxTag"/> bytes,
/// longer tags pass unchanged). Tags that already carry a <c>nonce</c> are left alone.</para>
/// </remarks>
internal sealed class ScriptTagNoncer
{
    internal const int MaxTag = 4096;

    private readonly Func<string, string?, bool> _isStaticScript;
    private readonly byte[] _nonceAttribute;
    private byte[]? _tag;
    private int _tagLength;
    private bool _tagOverflow;
    private string? _overflowName;
    private byte _quote;
    private bool _afterEquals;
    private State _state;
    private byte[]? _rawEnd;
    private int _rawMatched;
    private int _commentDashes;
    private string? _baseHref;

    /// <param name="nonce">The response's nonce.</param>
    /// <param name="isStaticScript">Whether a URL (as written) resolved against the base href (or null) is one of the app's static scripts.</param>
    public ScriptTagNoncer(string nonce, Func<string, string?, bool> isStaticScript)
    {
        _isStaticScript = isStaticScript;
        _nonceAttribute = Encoding.ASCII.GetBytes(" nonce=\"" + nonce + "\"");
    }

    private enum State
    {
        Data,
        Tag,
        Comment,
        RawText,
    }

    /// <summary>How many tags got the nonce (for tests and logging).</summary>
    public int Added { get; private set; }

    public void Process(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var i = 0;
        while (i < input.Length)
        {
            switch (_state)
            {
                case State.Data:
                {
                    var lt = input[i..].IndexOf((byte)'<');
                    if (lt < 0)
                    {
                        output.Write(input[i..]);
                        return;
                    }

                    output.Write(input.Slice(i, lt));
                    i += lt + 1;
                    StartTag((byte)'<');
                    break;
                }

                case State.Tag:
                    i = ProcessTag(input, i, output);
                    break;

                case State.Comment:
                    i = ProcessComment(input, i, output);
                    break;

                case State.RawText:
                    i = ProcessRawText(input, i, output);
                    break;
            }
        }
    }

    /// <summary>At the end of the body: a tag left open is written as it is.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        if (_state == State.Tag && _tag is not null && _tagLength > 0)
        {
            output.Write(_tag.AsSpan(0, _tagLength));
            _tagLength = 0;
        }

        Release();
    }

    public void Release()
    {
        if (_tag is not null)
        {
            ArrayPool<byte>.Shared.Return(_tag);
            _tag = null;
        }
    }

    private void StartTag(byte first)
    {
        _state = State.Tag;
        _tag ??= ArrayPool<byte>.Shared.Rent(MaxTag);
        _tag[0] = first;
        _tagLength = 1;
        _tagOverflow = false;
        _overflowName = null;
        _quote = 0;
        _afterEquals = false;
    }

    private int ProcessTag(ReadOnlySpan<byte> input, int i, IBufferWriter<byte> output)
    {
        while (i < input.Length)
        {
            var b = input[i];
            if (!_tagOverflow && _tagLength == 1)
            {
                // After '<': only a letter, '/', '!' or '?' opens a tag; anything else is text (HTML §13.2.5.6).
                if (!(char.IsAsciiLetter((char)b) || b is (byte)'/' or (byte)'!' or (byte)'?'))
                {
                    output.Write(_tag.AsSpan(0, 1));
                    _state = State.Data;
                    return i;
                }
            }

            Append(b, output);
            i++;
            if (!_tagOverflow && _tagLength == 4 && _tag![1] == '!' && _tag[2] == '-' && _tag[3] == '-')
            {
                output.Write(_tag.AsSpan(0, 4));
                _state = State.Comment;
                _commentDashes = 0;
                return i;
            }

            if (_quote != 0)
            {
                if (b == _quote)
                {
                    _quote = 0;
                }

                continue;
            }

            if (b is (byte)'"' or (byte)'\'' && _afterEquals)
            {
                _quote = b;
                _afterEquals = false;
                continue;
            }

            if (b == '=')
            {
                _afterEquals = true;
                continue;
            }

            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f'))
            {
                _afterEquals = false;
            }

            if (b == '>')
            {
                EndTag(output);
                return i;
            }
        }

        return i;
    }

    private void Append(byte b, IBufferWriter<byte> output)
    {
        if (_tagOverflow)
        {
            output.Write([b]);
            return;
        }

        if (_tagLength == MaxTag)
        {
            // Too long to be one of ours: pass it through unchanged, keeping only its name for the raw-text rule.
            _overflowName = TagName(_tag.AsSpan(0, _tagLength), out _);
            output.Write(_tag.AsSpan(0, _tagLength));
            _tagOverflow = true;
            output.Write([b]);
            return;
        }

        _tag![_tagLength++] = b;
    }

    private void EndTag(IBufferWriter<byte> output)
    {
        _state = State.Data;
        string? name;
        bool endTag;
        if (_tagOverflow)
        {
            name = _overflowName;
            endTag = false;
        }
        else
        {
            var tag = _tag.AsSpan(0, _tagLength);
            name = TagName(tag, out endTag);
            if (!endTag && name is "script" or "link" or "base")
            {
                var text = Encoding.UTF8.GetString(tag);
                if (name == "base")
                {
                    _baseHref ??= Attribute(text, "href");
                }
                else if (NeedsNonce(name, text))
                {
                    var close = tag[^2] == '/' ? _tagLength - 2 : _tagLength - 1;
                    output.Write(tag[..close]);
                    output.Write(_nonceAttribute);
                    output.Write(tag[close..]);
                    _tagLength = 0;
                    Added++;
                }
            }

            if (_tagLength > 0)
            {
                output.Write(tag);
                _tagLength = 0;
            }
        }

        if (!endTag && name is "script" or "style" or "textarea" or "title")
        {
            _state = State.RawText;
            _rawEnd = Encoding.ASCII.GetBytes("</" + name);
            _rawMatched = 0;
        }
    }

    private bool NeedsNonce(string name, string tag)
    {
        if (Attribute(tag, "nonce") is not null)
        {
            return false;
        }

        if (name == "script")
        {
            return Attribute(tag, "src") is { Length: > 0 } src && _isStaticScript(src, _baseHref);
        }

        var rel = Attribute(tag, "rel");
        if (rel is null || Attribute(tag, "href") is not { Length: > 0 } href)
        {
            return false;
        }

        var preloadsScript = HasToken(rel, "modulepreload") || (HasToken(rel, "preload") && string.Equals(Attribute(tag, "as"), "script", StringComparison.OrdinalIgnoreCase));
        return preloadsScript && _isStaticScript(href, _baseHref);
    }

    private static bool HasToken(string list, string token)
    {
        foreach (var part in list.Split([' ', '\t', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(part, token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private int ProcessComment(ReadOnlySpan<byte> input, int i, IBufferWriter<byte> output)
    {
        var start = i;
        while (i < input.Length)
        {
            var b = input[i++];
            if (b == '>' && _commentDashes >= 2)
            {
                _state = State.Data;
                break;
            }

            _commentDashes = b == '-' ? _commentDashes + 1 : 0;
        }

        output.Write(input[start..i]);
        return i;
    }

    private int ProcessRawText(ReadOnlySpan<byte> input, int i, IBufferWriter<byte> output)
    {
        var start = i;
        var end = _rawEnd!;
        while (i < input.Length)
        {
            var b = input[i];
            if (_rawMatched == end.Length)
            {
                // "</script" must be followed by whitespace, '/' or '>' to end the raw text (HTML §13.2.5.17).
                if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'/' or (byte)'>')
                {
                    // The rest of the end tag needs no change: back to data (the '>' is harmless there).
                    output.Write(input[start..i]);
                    _state = State.Data;
                    return i;
                }

                _rawMatched = 0;
            }

            if (ToLower(b) == end[_rawMatched])
            {
                _rawMatched++;
            }
            else
            {
                _rawMatched = b == '<' ? 1 : 0;
            }

            i++;
        }

        // Raw text needs no change, so it goes out at once; a "</script" split across writes is still found
        // because the match state carries over to the next write.
        output.Write(input[start..i]);
        return i;
    }

    private static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;

    private static string? TagName(ReadOnlySpan<byte> tag, out bool endTag)
    {
        var i = 1;
        endTag = tag.Length > 1 && tag[1] == '/';
        if (endTag)
        {
            i++;
        }

        var start = i;
        while (i < tag.Length && (char.IsAsciiLetterOrDigit((char)tag[i]) || tag[i] == '-'))
        {
            i++;
        }

        return i == start ? null : Encoding.ASCII.GetString(tag[start..i]).ToLowerInvariant();
    }

    /// <summary>The decoded value of an attribute of a start tag, or null when absent (HTML §13.2.5.32–.39).</summary>
    internal static string? Attribute(string tag, string wanted)
    {
        var i = 1;
        while (i < tag.Length && !IsSpace(tag[i]) && tag[i] != '>' && tag[i] != '/')
        {
            i++;
        }

        while (i < tag.Length)
        {
            while (i < tag.Length && (IsSpace(tag[i]) || tag[i] == '/'))
            {
                i++;
            }

            if (i >= tag.Length || tag[i] == '>')
            {
                return null;
            }

            var nameStart = i;
            while (i < tag.Length && !IsSpace(tag[i]) && tag[i] != '=' && tag[i] != '>' && (tag[i] != '/' || i == nameStart))
            {
                i++;
            }

            var name = tag[nameStart..i];
            while (i < tag.Length && IsSpace(tag[i]))
            {
                i++;
            }

            string? value = string.Empty;
            if (i < tag.Length && tag[i] == '=')
            {
                i++;
                while (i < tag.Length && IsSpace(tag[i]))
                {
                    i++;
                }

                if (i < tag.Length && tag[i] is '"' or '\'')
                {
                    var quote = tag[i++];
                    var valueStart = i;
                    while (i < tag.Length && tag[i] != quote)
                    {
                        i++;
                    }

                    value = tag[valueStart..Math.Min(i, tag.Length)];
                    i++;
                }
                else
                {
                    var valueStart = i;
                    while (i < tag.Length && !IsSpace(tag[i]) && tag[i] != '>')
                    {
                        i++;
                    }

                    value = tag[valueStart..i];
                }
            }

            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                // The first occurrence wins; later duplicates are dropped by the parser (HTML §13.2.5.33).
                return System.Net.WebUtility.HtmlDecode(value);
            }
        }

        return null;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';
}
