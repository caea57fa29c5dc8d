using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SecureHeaders.Reporting.Ingest;

/// <summary>Outcome of parsing one request body.</summary>
internal enum ParseStatus
{
    Ok,
    Malformed,
}

/// <summary>Limits applied while parsing one body.</summary>
internal readonly record struct ParseLimits(int MaxDepth, int MaxReports)
{
    public const int MaxUrlChars = 2048;
    public const int MaxPolicyChars = 4096;
    public const int MaxSampleChars = 256;
    public const int MaxTokenChars = 256;
}

/// <summary>
/// Reads report bodies in one forward pass over the UTF-8 bytes with <see cref="Utf8JsonReader"/>: no DOM, no recursion
/// beyond the three levels a report has, nesting capped by the reader, strings truncated as they are copied out.
/// Accepts the report-uri format (<c>{"csp-report": {...}}</c>, CSP3 §5.4) and the Reporting API format
/// (an array of <c>{type, age, url, user_agent, body}</c>, W3C Reporting API §2.1 and §3.5), or a single such object.
/// </summary>
internal static class ReportParser
{
    public static ParseStatus Parse(ReadOnlySpan<byte> utf8, ParseLimits limits, List<RawReport> into, out int skipped, out int invalid)
    {
        skipped = 0;
        invalid = 0;

        // A \uD800-\uDFFF escape without its partner is not Unicode text: I-JSON (RFC 7493 §2.1) forbids it and no
        // browser serialises a report that way. Refuse it wherever it is, in a value the parser reads, compares or
        // skips, or in a member name, so that every such body gets the same 400.
        if (HasLoneSurrogateEscape(utf8))
        {
            return ParseStatus.Malformed;
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = limits.MaxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });

        try
        {
            if (!reader.Read())
            {
                return ParseStatus.Malformed;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                // The cap counts items looked at, valid or not, so junk batches cost no more than real ones.
                var items = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (items++ >= limits.MaxReports)
                    {
                        reader.Skip();
                        skipped++;
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        // A primitive inside the batch is junk but not a reason to refuse the others.
                        reader.Skip();
                        invalid++;
                        continue;
                    }

                    AddIfKnown(ReadEnvelope(ref reader), into, ref invalid);
                }
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                AddIfKnown(ReadEnvelope(ref reader), into, ref invalid);
            }
            else
            {
                return ParseStatus.Malformed;
            }

            // Anything after the root value other than whitespace makes the reader throw.
            return reader.Read() ? ParseStatus.Malformed : ParseStatus.Ok;
        }
        catch (JsonException)
        {
            // Bad syntax, too deep, truncated: all one answer for the client.
            return ParseStatus.Malformed;
        }
        catch (InvalidOperationException)
        {
            // The reader throws this when it unescapes text that is not Unicode; the scan above already refuses
            // such bodies, so this only keeps any other case of it from becoming a 500.
            return ParseStatus.Malformed;
        }
    }

    /// <summary>
    /// True when an escape <c>\uD800</c>-<c>\uDBFF</c> is not followed by a <c>\uDC00</c>-<c>\uDFFF</c> one, or the
    /// latter comes alone. One forward pass from backslash to backslash; in a body that parses, backslashes only
    /// occur inside strings, where each starts an escape.
    /// </summary>
    internal static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (true)
        {
            var next = utf8[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                return false;
            }

            i += next;
            if (i + 1 >= utf8.Length)
            {
                return false; // truncated: the reader refuses it
            }

            if (utf8[i + 1] != (byte)'u')
            {
                i += 2; // a one-character escape, \\ included
                continue;
            }

            var unit = Hex4(utf8, i + 2);
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 12 <= utf8.Length && utf8[i + 6] == (byte)'\\' && utf8[i + 7] == (byte)'u' && Hex4(utf8, i + 8) is >= 0xDC00 and <= 0xDFFF)
                {
                    i += 12;
                    continue;
                }

                return true;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            i += 2;
        }
    }

    /// <summary>The four hex digits at <paramref name="at"/>, or -1.</summary>
    private static int Hex4(ReadOnlySpan<byte> utf8, int at)
    {
        if (at + 4 > utf8.Length)
        {
            return -1;
        }

        var value = 0;
        for (var k = 0; k < 4; k++)
        {
            var digit = HexDigit(utf8[at + k]);
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static void AddIfKnown(RawReport report, List<RawReport> into, ref int invalid)
    {
        if (report.Kind == ReportKind.Unknown)
        {
            invalid++;
            return;
        }

        into.Add(report);
    }

    private static RawReport ReadEnvelope(ref Utf8JsonReader reader)
    {
        var report = new RawReport();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = ReportFieldNames.Read(ref reader);
            reader.Read();
            switch (field)
            {
                case ReportField.Type when reader.TokenType == JsonTokenType.String:
                    report.Kind = ReadKind(ref reader);
                    break;
                case ReportField.Age when reader.TokenType == JsonTokenType.Number:
                    report.AgeMilliseconds = reader.TryGetInt64(out var age) ? age : 0;
                    break;
                case ReportField.Url:
                    report.Url = ReadString(ref reader, ParseLimits.MaxUrlChars);
                    break;
                case ReportField.Body when reader.TokenType == JsonTokenType.StartObject:
                    ReadBody(ref reader, report);
                    break;
                case ReportField.CspReport when reader.TokenType == JsonTokenType.StartObject:
                    report.Kind = ReportKind.Csp;
                    ReadBody(ref reader, report);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return report;
    }

    private static ReportKind ReadKind(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("csp-violation"u8)) { return ReportKind.Csp; }
        if (reader.ValueTextEquals("coop"u8)) { return ReportKind.Coop; }
        if (reader.ValueTextEquals("coep"u8)) { return ReportKind.Coep; }
        if (reader.ValueTextEquals("permissions-policy-violation"u8)) { return ReportKind.PermissionsPolicy; }
        if (reader.ValueTextEquals("integrity-violation"u8)) { return ReportKind.Integrity; }
        if (reader.ValueTextEquals("deprecation"u8)) { return ReportKind.Deprecation; }
        if (reader.ValueTextEquals("intervention"u8)) { return ReportKind.Intervention; }
        return ReportKind.Unknown;
    }

    private static void ReadBody(ref Utf8JsonReader reader, RawReport r)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = ReportFieldNames.Read(ref reader);
            reader.Read();
            switch (field)
            {
                case ReportField.DocumentUrl: r.DocumentUrl = ReadString(ref reader, ParseLimits.MaxUrlChars); break;
                case ReportField.BlockedUrl: r.BlockedUrl = ReadString(ref reader, ParseLimits.MaxUrlChars); break;
                case ReportField.EffectiveDirective: r.EffectiveDirective = ReadString(ref reader, ParseLimits.MaxTokenChars, ref s_directive); break;
                case ReportField.ViolatedDirective: r.ViolatedDirective = ReadString(ref reader, ParseLimits.MaxPolicyChars, ref s_violated); break;
                case ReportField.OriginalPolicy: r.OriginalPolicy = ReadString(ref reader, ParseLimits.MaxPolicyChars, ref s_policy); break;
                case ReportField.SourceFile: r.SourceFile = ReadString(ref reader, ParseLimits.MaxUrlChars, ref s_sourceFile); break;
                case ReportField.Sample: r.Sample = ReadString(ref reader, ParseLimits.MaxSampleChars); break;
                case ReportField.Disposition: r.Disposition = ReadString(ref reader, ParseLimits.MaxTokenChars, ref s_disposition); break;
                case ReportField.Feature: r.Feature = ReadString(ref reader, ParseLimits.MaxTokenChars); break;
                case ReportField.Type: r.Subtype = ReadString(ref reader, ParseLimits.MaxTokenChars); break;
                case ReportField.Destination: r.Destination = ReadString(ref reader, ParseLimits.MaxTokenChars); break;
                case ReportField.RelatedUrl: r.RelatedUrl ??= ReadString(ref reader, ParseLimits.MaxUrlChars); break;
                case ReportField.Message: r.Message = ReadString(ref reader, ParseLimits.MaxSampleChars); break;
                case ReportField.StatusCode: r.StatusCode = ReadInt(ref reader); break;
                case ReportField.LineNumber: r.LineNumber = ReadInt(ref reader); break;
                case ReportField.ColumnNumber: r.ColumnNumber = ReadInt(ref reader); break;
                case ReportField.ReportOnly:
                    r.ReportOnly = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => null,
                    };
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    // The last value of fields that most reports of a site repeat (its policy, the directive, the disposition, its
    // script file). A report that repeats it gets that string instead of a new one; see RecentValue.
    private static RecentValue? s_policy, s_directive, s_violated, s_disposition, s_sourceFile;

    /// <summary>A field's value with its UTF-8 bytes, shared between requests: both are immutable.</summary>
    private sealed class RecentValue(byte[] utf8, string value)
    {
        public readonly byte[] Utf8 = utf8;
        public readonly string Value = value;
    }

    /// <summary>As <see cref="ReadString(ref Utf8JsonReader, int)"/>, reusing <paramref name="recent"/> when the value is the same.</summary>
    private static string? ReadString(ref Utf8JsonReader reader, int maxChars, ref RecentValue? recent)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.ValueSpan.Length > maxChars)
        {
            return ReadString(ref reader, maxChars);
        }

        var raw = reader.ValueSpan;
        var last = Volatile.Read(ref recent);
        if (last is not null && raw.SequenceEqual(last.Utf8))
        {
            return last.Value;
        }

        var value = Encoding.UTF8.GetString(raw);
        Volatile.Write(ref recent, new RecentValue(raw.ToArray(), value));
        return value;
    }

    /// <summary>Copies a string value out, cut to <paramref name="maxChars"/>; other token kinds give <see langword="null"/>.</summary>
    internal static string? ReadString(ref Utf8JsonReader reader, int maxChars)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        var raw = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            // Bounded by the body cap, so unescaping the whole value is safe; cut afterwards.
            var s = reader.GetString()!;
            if (s.Length <= maxChars)
            {
                return s;
            }

            var cut = char.IsHighSurrogate(s[maxChars - 1]) ? maxChars - 1 : maxChars;
            return s[..cut];
        }

        if (raw.Length <= maxChars)
        {
            // UTF-8 never needs fewer bytes than UTF-16 code units, so this fits.
            return Encoding.UTF8.GetString(raw);
        }

        // Keep whole UTF-8 sequences only: step back from a continuation byte to the start of its sequence.
        var end = maxChars;
        while (end > 0 && (raw[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return Encoding.UTF8.GetString(raw[..end]);
    }

    private static int? ReadInt(ref Utf8JsonReader reader)
    {
        // Browsers disagree on numbers versus numeric strings for line, column and status.
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt32(out var n) ? n : null;
            case JsonTokenType.String:
                var span = reader.ValueSpan;
                return !reader.ValueIsEscaped && span.Length <= 11
                    && int.TryParse(span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            default:
                reader.Skip();
                return null;
        }
    }
}
