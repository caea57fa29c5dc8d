using System.Globalization;

namespace SecureHeaders.Reporting.Export;

/// <summary>Writes violations as CSV (RFC 4180), safe to open in a spreadsheet.</summary>
public static class ViolationCsv
{
    private static readonly string[] Header =
    [
        "fingerprint", "type", "disposition", "documentOrigin", "directive", "blockedUri", "sourceHost", "count", "firstSeen", "lastSeen",
        "documentUrl", "blockedUrl", "sourceFile", "lineNumber", "columnNumber", "sample", "statusCode",
    ];

    /// <summary>Writes a header row and one row per violation.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="violations">Rows to write.</param>
    public static void Write(TextWriter writer, IEnumerable<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(violations);
        writer.Write(string.Join(',', Header));
        writer.Write("\r\n");
        var inv = CultureInfo.InvariantCulture;
        foreach (var v in violations)
        {
            string?[] row =
            [
                v.Fingerprint, v.Type, v.Disposition, v.DocumentOrigin, v.Directive, v.BlockedUri, v.SourceHost,
                v.Count.ToString(inv), v.FirstSeen.UtcDateTime.ToString("O", inv), v.LastSeen.UtcDateTime.ToString("O", inv),
                v.DocumentUrl, v.BlockedUrl, v.SourceFile, v.LineNumber?.ToString(inv), v.ColumnNumber?.ToString(inv), v.Sample,
                v.StatusCode?.ToString(inv),
            ];
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    writer.Write(',');
                }

                writer.Write(Field(row[i]));
            }

            writer.Write("\r\n");
        }
    }

    /// <summary>One CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula.</summary>
    internal static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // Report text is attacker-controlled; a leading = + - @ would run as a formula in a spreadsheet, and so would
        // one after leading white space or a line break, which spreadsheets skip (OWASP "CSV Injection").
        if (value[0] is '=' or '+' or '-' or '@' || char.IsWhiteSpace(value[0]))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
