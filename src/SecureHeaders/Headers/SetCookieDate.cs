using System.Globalization;

namespace SecureHeaders.Headers;

/// <summary>
/// The cookie-date algorithm of RFC 6265bis §5.1.1: a tolerant reader for the <c>Expires</c> attribute that accepts the
/// many date spellings servers send (RFC 1123, RFC 850, asctime, and mixtures of them).
/// </summary>
public static class SetCookieDate
{
    private static readonly string[] s_months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Parses a cookie date; returns <see langword="false"/> when RFC 6265bis §5.1.1 says to fail.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        int? hour = null, minute = null, second = null, day = null, month = null, year = null;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && IsDelimiter(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !IsDelimiter(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                continue;
            }

            var token = text.AsSpan(start, i - start);
            if (hour is null && TryTime(token, out var h, out var m, out var s))
            {
                (hour, minute, second) = (h, m, s);
            }
            else if (day is null && TryDigits(token, 1, 2, out var d))
            {
                day = d;
            }
            else if (month is null && TryMonth(token, out var mo))
            {
                month = mo;
            }
            else if (year is null && TryDigits(token, 2, 4, out var y))
            {
                year = y;
            }
        }

        if (year is >= 70 and <= 99)
        {
            year += 1900;
        }
        else if (year is >= 0 and <= 69)
        {
            year += 2000;
        }

        if (hour is null || day is null || month is null || year is null
            || day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59
            || day > DateTime.DaysInMonth(Math.Min(year.Value, 9999), month.Value))
        {
            return false;
        }

        if (year > 9999)
        {
            value = DateTimeOffset.MaxValue;
            return true;
        }

        value = new DateTimeOffset(year.Value, month.Value, day.Value, hour.Value, minute!.Value, second!.Value, TimeSpan.Zero);
        return true;
    }

    /// <summary>Formats a date as the IMF-fixdate that RFC 6265bis §4.1.1 (<c>sane-cookie-date</c>) asks servers to send.</summary>
    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    // delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
    private static bool IsDelimiter(char c) =>
        c == '\x09' || c is >= '\x20' and <= '\x2F' || c is >= '\x3B' and <= '\x40' || c is >= '\x5B' and <= '\x60' || c is >= '\x7B' and <= '\x7E';

    // hms-time = time-field ":" time-field ":" time-field, each 1*2DIGIT, optionally followed by a non-digit and anything.
    private static bool TryTime(ReadOnlySpan<char> token, out int hour, out int minute, out int second)
    {
        hour = minute = second = 0;
        var pos = 0;
        for (var field = 0; field < 3; field++)
        {
            var start = pos;
            while (pos < token.Length && pos - start < 2 && char.IsAsciiDigit(token[pos]))
            {
                pos++;
            }

            if (pos == start)
            {
                return false;
            }

            var number = int.Parse(token[start..pos], NumberStyles.None, CultureInfo.InvariantCulture);
            if (field == 0)
            {
                hour = number;
            }
            else if (field == 1)
            {
                minute = number;
            }
            else
            {
                second = number;
            }

            if (field < 2)
            {
                if (pos >= token.Length || token[pos] != ':')
                {
                    return false;
                }

                pos++;
            }
        }

        return pos == token.Length || !char.IsAsciiDigit(token[pos]);
    }

    private static bool TryDigits(ReadOnlySpan<char> token, int min, int max, out int number)
    {
        number = 0;
        var count = 0;
        while (count < token.Length && char.IsAsciiDigit(token[count]))
        {
            count++;
        }

        if (count < min || count > max)
        {
            return false;
        }

        number = int.Parse(token[..count], NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryMonth(ReadOnlySpan<char> token, out int month)
    {
        month = 0;
        if (token.Length < 3)
        {
            return false;
        }

        for (var m = 0; m < s_months.Length; m++)
        {
            if (token[..3].Equals(s_months[m], StringComparison.OrdinalIgnoreCase))
            {
                month = m + 1;
                return true;
            }
        }

        return false;
    }
}
