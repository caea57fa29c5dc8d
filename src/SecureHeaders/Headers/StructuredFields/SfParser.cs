using System.Collections.Immutable;
using System.Globalization;

namespace SecureHeaders.Headers.StructuredFields;

/// <summary>Thrown-free result of parsing a structured field: the value, or why it failed.</summary>
/// <typeparam name="T">The parsed type.</typeparam>
/// <param name="Value">The value, when parsing succeeded.</param>
/// <param name="Error">Why parsing failed (RFC 8941 §4.2: a failure means the whole field is ignored).</param>
public sealed record SfResult<T>(T? Value, string? Error)
{
    /// <summary>True when parsing succeeded.</summary>
    public bool Success => Error is null;
}

/// <summary>
/// Parses structured field values as RFC 8941 §4.2 specifies. Any syntax error fails the whole field, as the RFC
/// requires; the error says where.
/// </summary>
public static class SfParser
{
    /// <summary>Parses a Dictionary (§4.2.2).</summary>
    public static SfResult<ImmutableArray<KeyValuePair<string, SfMember>>> ParseDictionary(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input, static (ref Reader r) =>
        {
            var members = new List<KeyValuePair<string, SfMember>>();
            var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
            while (!r.AtEnd)
            {
                var key = r.Key();
                SfMember member;
                if (r.Peek == '=')
                {
                    r.Advance();
                    member = r.ItemOrInnerList();
                }
                else
                {
                    member = SfMember.FromItem(new SfItem(SfBareItem.Boolean(true), r.Parameters()));
                }

                // A repeated key overwrites the earlier value but keeps its position (§4.2.2 step 2.3).
                SetKeepingPosition(members, indexes, key, member);

                if (!r.EndOfMember())
                {
                    break;
                }
            }

            return members.ToImmutableArray();
        });
    }

    /// <summary>Parses a List (§4.2.1).</summary>
    public static SfResult<ImmutableArray<SfMember>> ParseList(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input, static (ref Reader r) =>
        {
            var members = ImmutableArray.CreateBuilder<SfMember>();
            while (!r.AtEnd)
            {
                members.Add(r.ItemOrInnerList());
                if (!r.EndOfMember())
                {
                    break;
                }
            }

            return members.ToImmutable();
        });
    }

    /// <summary>Parses an Item (§4.2.3).</summary>
    public static SfResult<SfItem> ParseItem(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(input, static (ref Reader r) =>
        {
            var value = r.BareItem();
            return new SfItem(value, r.Parameters());
        });
    }

    private delegate T ParseStep<T>(ref Reader reader);

    /// <summary>Adds a member, or replaces the value of an earlier one with the same key in its position, in constant time.</summary>
    private static void SetKeepingPosition<T>(List<KeyValuePair<string, T>> members, Dictionary<string, int> indexes, string key, T value)
    {
        if (indexes.TryGetValue(key, out var index))
        {
            members[index] = new(key, value);
        }
        else
        {
            indexes.Add(key, members.Count);
            members.Add(new(key, value));
        }
    }

    private static SfResult<T> Run<T>(string input, ParseStep<T> step)
    {
        // §4.2 steps 2-6: discard leading and trailing spaces, parse, and fail on any leftover.
        var reader = new Reader(input.Trim(' '));
        try
        {
            var value = step(ref reader);
            reader.SkipSpaces();
            return reader.AtEnd ? new(value, null) : new(default, reader.Error("unexpected characters after the value").Message);
        }
        catch (FormatException ex)
        {
            return new(default, ex.Message);
        }
    }

    private ref struct Reader(string input)
    {
        private readonly string _input = input;
        private int _pos;

        public readonly bool AtEnd => _pos >= _input.Length;

        public readonly char Peek => AtEnd ? '\0' : _input[_pos];

        public void Advance() => _pos++;

        public void SkipSpaces()
        {
            while (!AtEnd && _input[_pos] == ' ')
            {
                _pos++;
            }
        }

        private void SkipOws()
        {
            while (!AtEnd && _input[_pos] is ' ' or '\t')
            {
                _pos++;
            }
        }

        /// <summary>After a list or dictionary member: OWS, then end or ',' followed by another member (§4.2.1 steps 2.3-2.7).</summary>
        public bool EndOfMember()
        {
            SkipOws();
            if (AtEnd)
            {
                return false;
            }

            if (_input[_pos] != ',')
            {
                throw Error("expected ',' between members");
            }

            _pos++;
            SkipOws();
            if (AtEnd)
            {
                throw Error("trailing ','");
            }

            return true;
        }

        public readonly FormatException Error(string what) =>
            new($"Not a valid structured field at character {_pos + 1}: {what} (RFC 8941 §4.2).");

        public SfMember ItemOrInnerList()
        {
            if (Peek == '(')
            {
                _pos++;
                var items = new List<SfItem>();
                while (true)
                {
                    SkipSpaces();
                    if (AtEnd)
                    {
                        throw Error("inner list not closed with ')'");
                    }

                    if (Peek == ')')
                    {
                        _pos++;
                        return SfMember.FromInnerList(items, Parameters());
                    }

                    var value = BareItem();
                    items.Add(new SfItem(value, Parameters()));
                    if (!AtEnd && Peek is not ' ' and not ')')
                    {
                        throw Error("expected a space or ')' in an inner list");
                    }
                }
            }

            var bare = BareItem();
            return SfMember.FromItem(new SfItem(bare, Parameters()));
        }

        public ImmutableArray<KeyValuePair<string, SfBareItem>> Parameters()
        {
            if (Peek != ';')
            {
                return [];
            }

            var parameters = new List<KeyValuePair<string, SfBareItem>>();
            var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
            while (Peek == ';')
            {
                _pos++;
                SkipSpaces();
                var key = Key();
                var value = SfBareItem.Boolean(true);
                if (Peek == '=')
                {
                    _pos++;
                    value = BareItem();
                }

                // §4.2.3.2 step 2.6: a repeated key overwrites the earlier value in place.
                SetKeepingPosition(parameters, indexes, key, value);
            }

            return [.. parameters];
        }

        public string Key()
        {
            // §4.2.3.3: key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )
            if (AtEnd || !(char.IsAsciiLetterLower(Peek) || Peek == '*'))
            {
                throw Error("a key must start with a lower-case letter or '*'");
            }

            var start = _pos;
            while (!AtEnd && (char.IsAsciiLetterLower(Peek) || char.IsAsciiDigit(Peek) || Peek is '_' or '-' or '.' or '*'))
            {
                _pos++;
            }

            return _input[start.._pos];
        }

        public SfBareItem BareItem()
        {
            var c = Peek;
            if (c == '-' || char.IsAsciiDigit(c))
            {
                return Number();
            }

            if (c == '"')
            {
                return String();
            }

            if (char.IsAsciiLetter(c) || c == '*')
            {
                return Token();
            }

            if (c == ':')
            {
                return ByteSequence();
            }

            if (c == '?')
            {
                return Boolean();
            }

            throw Error(AtEnd ? "a value is missing" : $"'{c}' cannot start a value");
        }

        private SfBareItem Number()
        {
            // §4.2.4: at most 15 integer digits, or 12 + '.' + 1..3 fractional digits.
            var start = _pos;
            if (Peek == '-')
            {
                _pos++;
            }

            if (!char.IsAsciiDigit(Peek))
            {
                throw Error("a digit must follow '-'");
            }

            var isDecimal = false;
            var digitsStart = _pos;
            while (!AtEnd)
            {
                var ch = _input[_pos];
                if (char.IsAsciiDigit(ch))
                {
                    _pos++;
                }
                else if (ch == '.' && !isDecimal)
                {
                    if (_pos - digitsStart > 12)
                    {
                        throw Error("a decimal has at most 12 integer digits");
                    }

                    isDecimal = true;
                    _pos++;
                }
                else
                {
                    break;
                }

                if ((!isDecimal && _pos - digitsStart > 15) || (isDecimal && _pos - digitsStart > 16))
                {
                    throw Error("the number is too long");
                }
            }

            var text = _input[start.._pos];
            if (!isDecimal)
            {
                return SfBareItem.Integer(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            }

            var fraction = text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1;
            if (fraction is 0 or > 3)
            {
                throw Error("a decimal has one to three fractional digits");
            }

            return SfBareItem.Decimal(decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
        }

        private SfBareItem String()
        {
            _pos++;
            var sb = new System.Text.StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("string not closed with '\"'");
                }

                var c = _input[_pos++];
                if (c == '\\')
                {
                    if (AtEnd || _input[_pos] is not '"' and not '\\')
                    {
                        throw Error("only \\\" and \\\\ may be escaped in a string");
                    }

                    sb.Append(_input[_pos++]);
                }
                else if (c == '"')
                {
                    return SfBareItem.String(sb.ToString());
                }
                else if (c is < ' ' or > '~')
                {
                    throw Error("strings hold printable ASCII only");
                }
                else
                {
                    sb.Append(c);
                }
            }
        }

        private SfBareItem Token()
        {
            var start = _pos;
            _pos++;
            while (!AtEnd && (Internal.HttpTokens.IsTokenChar(Peek) || Peek is ':' or '/'))
            {
                _pos++;
            }

            return SfBareItem.Token(_input[start.._pos]);
        }

        private SfBareItem ByteSequence()
        {
            _pos++;
            var end = _input.IndexOf(':', _pos);
            if (end < 0)
            {
                throw Error("byte sequence not closed with ':'");
            }

            var text = _input[_pos..end];
            _pos = end + 1;
            try
            {
                return SfBareItem.Bytes(Convert.FromBase64String(text));
            }
            catch (FormatException)
            {
                throw Error("a byte sequence holds base64");
            }
        }

        private SfBareItem Boolean()
        {
            _pos++;
            var c = Peek;
            if (c is not '0' and not '1')
            {
                throw Error("a boolean is ?0 or ?1");
            }

            _pos++;
            return SfBareItem.Boolean(c == '1');
        }
    }
}
