using System.Text.Json;

namespace SecureHeaders.Reporting.Ingest;

/// <summary>Member names the parser understands, across wire formats and browsers.</summary>
internal enum ReportField
{
    Unknown,

    // Envelope (W3C Reporting API §2.1: type, age, url, user_agent, body) and the report-uri wrapper.
    Type,
    Age,
    Url,
    Body,
    CspReport,

    // Body members.
    DocumentUrl,
    BlockedUrl,
    EffectiveDirective,
    ViolatedDirective,
    OriginalPolicy,
    SourceFile,
    Sample,
    Disposition,
    StatusCode,
    LineNumber,
    ColumnNumber,
    Feature,
    Destination,
    RelatedUrl,
    Message,
    ReportOnly,
}

/// <summary>
/// Maps a JSON member name to a <see cref="ReportField"/> without allocating. Names are compared after dropping
/// <c>-</c> and <c>_</c> and lower-casing ASCII, so <c>blocked-uri</c> (report-uri format, CSP3 §5.4),
/// <c>blockedURL</c> (Reporting API body, CSP3 §5.3) and <c>blocked_uri</c> all land on <see cref="ReportField.BlockedUrl"/>.
/// </summary>
internal static class ReportFieldNames
{
    private const int MaxNameBytes = 48;

    public static ReportField Read(ref Utf8JsonReader reader)
    {
        Span<byte> raw = stackalloc byte[MaxNameBytes];
        scoped ReadOnlySpan<byte> name;
        if (reader.ValueIsEscaped)
        {
            // Escaped names are rare; unescape into the stack buffer, and treat names too long for it as unknown.
            // CopyString throws when the destination is too small; the escaped length bounds the unescaped one.
            if (reader.ValueSpan.Length > MaxNameBytes)
            {
                return ReportField.Unknown;
            }

            name = raw[..reader.CopyString(raw)];
        }
        else
        {
            name = reader.ValueSpan;
        }

        Span<byte> folded = stackalloc byte[MaxNameBytes];
        var length = 0;
        foreach (var b in name)
        {
            if (b is (byte)'-' or (byte)'_')
            {
                continue;
            }

            if (length == MaxNameBytes)
            {
                return ReportField.Unknown;
            }

            folded[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
        }

        return Lookup(folded[..length]);
    }

    internal static ReportField Lookup(ReadOnlySpan<byte> n)
    {
        if (n.IsEmpty)
        {
            return ReportField.Unknown;
        }

        // Grouped by first letter to keep the number of comparisons small.
        switch (n[0])
        {
            case (byte)'a':
                return n.SequenceEqual("age"u8) ? ReportField.Age : ReportField.Unknown;
            case (byte)'b':
                if (n.SequenceEqual("body"u8)) { return ReportField.Body; }
                if (n.SequenceEqual("blockeduri"u8) || n.SequenceEqual("blockedurl"u8)) { return ReportField.BlockedUrl; }
                return ReportField.Unknown;
            case (byte)'c':
                if (n.SequenceEqual("cspreport"u8)) { return ReportField.CspReport; }
                if (n.SequenceEqual("columnnumber"u8) || n.SequenceEqual("colno"u8) || n.SequenceEqual("column"u8)) { return ReportField.ColumnNumber; }
                return ReportField.Unknown;
            case (byte)'d':
                if (n.SequenceEqual("documenturi"u8) || n.SequenceEqual("documenturl"u8)) { return ReportField.DocumentUrl; }
                if (n.SequenceEqual("disposition"u8)) { return ReportField.Disposition; }
                if (n.SequenceEqual("destination"u8)) { return ReportField.Destination; }
                return ReportField.Unknown;
            case (byte)'e':
                return n.SequenceEqual("effectivedirective"u8) ? ReportField.EffectiveDirective : ReportField.Unknown;
            case (byte)'f':
                return n.SequenceEqual("featureid"u8) ? ReportField.Feature : ReportField.Unknown;
            case (byte)'i':
                if (n.SequenceEqual("id"u8)) { return ReportField.Feature; }
                if (n.SequenceEqual("initialpopupurl"u8)) { return ReportField.RelatedUrl; }
                return ReportField.Unknown;
            case (byte)'l':
                return n.SequenceEqual("linenumber"u8) || n.SequenceEqual("lineno"u8) || n.SequenceEqual("line"u8)
                    ? ReportField.LineNumber : ReportField.Unknown;
            case (byte)'m':
                return n.SequenceEqual("message"u8) ? ReportField.Message : ReportField.Unknown;
            case (byte)'n':
                return n.SequenceEqual("nextresponseurl"u8) ? ReportField.RelatedUrl : ReportField.Unknown;
            case (byte)'o':
                if (n.SequenceEqual("originalpolicy"u8)) { return ReportField.OriginalPolicy; }
                if (n.SequenceEqual("openerurl"u8) || n.SequenceEqual("otherdocumenturl"u8)) { return ReportField.RelatedUrl; }
                return ReportField.Unknown;
            case (byte)'p':
                return n.SequenceEqual("previousresponseurl"u8) ? ReportField.RelatedUrl : ReportField.Unknown;
            case (byte)'r':
                return n.SequenceEqual("reportonly"u8) ? ReportField.ReportOnly : ReportField.Unknown;
            case (byte)'s':
                if (n.SequenceEqual("sourcefile"u8)) { return ReportField.SourceFile; }
                if (n.SequenceEqual("scriptsample"u8) || n.SequenceEqual("sample"u8)) { return ReportField.Sample; }
                if (n.SequenceEqual("statuscode"u8)) { return ReportField.StatusCode; }
                return ReportField.Unknown;
            case (byte)'t':
                return n.SequenceEqual("type"u8) ? ReportField.Type : ReportField.Unknown;
            case (byte)'u':
                return n.SequenceEqual("url"u8) ? ReportField.Url : ReportField.Unknown;
            case (byte)'v':
                return n.SequenceEqual("violateddirective"u8) ? ReportField.ViolatedDirective : ReportField.Unknown;
            default:
                return ReportField.Unknown;
        }
    }
}
