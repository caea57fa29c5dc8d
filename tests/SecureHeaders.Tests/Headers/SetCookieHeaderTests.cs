using SecureHeaders.Headers;

namespace SecureHeaders.Tests.Headers;

public class SetCookieHeaderTests
{
    [Fact]
    public void Parses_name_value_and_attributes_in_order()
    {
        var cookie = SetCookieHeader.Parse(" id = a3fWa ; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Secure; HttpOnly; SameSite=Lax; Path=/app; Domain=.Example.COM; Priority=High");

        Assert.Equal("id", cookie.Name);
        Assert.Equal("a3fWa", cookie.Value);
        Assert.Equal(["Expires", "Secure", "HttpOnly", "SameSite", "Path", "Domain", "Priority"], cookie.Attributes.Select(static a => a.Name));
        Assert.Null(cookie.Attributes[1].Value);
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SetCookieSameSite.Lax, cookie.SameSite);
        Assert.Equal("/app", cookie.Path);
        Assert.Equal("example.com", cookie.Domain);
        Assert.Equal(new DateTimeOffset(2015, 10, 21, 7, 28, 0, TimeSpan.Zero), cookie.Expires);
        Assert.False(cookie.IsSessionCookie);
    }

    [Theory]
    [InlineData("a=1", SetCookieSameSite.Unspecified, null)]
    [InlineData("a=1; SameSite=strict", SetCookieSameSite.Strict, "strict")]
    [InlineData("a=1; SameSite=NONE; Secure", SetCookieSameSite.None, "NONE")]
    [InlineData("a=1; SameSite=Bogus", SetCookieSameSite.Invalid, "Bogus")]
    [InlineData("a=1; SameSite", SetCookieSameSite.Invalid, "")]
    [InlineData("a=1; SameSite=", SetCookieSameSite.Invalid, "")]
    [InlineData("a=1; SameSite=Bogus; SameSite=Lax", SetCookieSameSite.Lax, "Lax")]
    public void SameSite_keeps_invalid_apart_from_absent_and_the_last_one_wins(string header, SetCookieSameSite expected, string? raw)
    {
        var cookie = SetCookieHeader.Parse(header);
        Assert.Equal(expected, cookie.SameSite);
        Assert.Equal(raw, cookie.SameSiteValue);
    }

    [Fact]
    public void Max_age_wins_its_syntax_is_checked_and_invalid_values_are_ignored()
    {
        Assert.Equal(-5, SetCookieHeader.Parse("a=1; Max-Age=-5").MaxAge);
        Assert.Null(SetCookieHeader.Parse("a=1; Max-Age=5s").MaxAge);
        Assert.Null(SetCookieHeader.Parse("a=1; Max-Age=+5").MaxAge);
        Assert.Equal(10, SetCookieHeader.Parse("a=1; Max-Age=10; Max-Age=oops").MaxAge);
        Assert.Null(SetCookieHeader.Parse("a=1; Expires=not a date").Expires);
        Assert.True(SetCookieHeader.Parse("a=1; Expires=not a date").IsSessionCookie);
    }

    [Fact]
    public void Path_not_starting_with_a_slash_means_the_default_path()
    {
        var cookie = SetCookieHeader.Parse("a=1; Path=/x; Path=relative");
        Assert.Null(cookie.Path);
        Assert.True(cookie.HasPathAttribute);
    }

    [Fact]
    public void Nameless_cookie_keeps_its_value_and_is_reported()
    {
        var cookie = SetCookieHeader.Parse("justavalue; Secure");
        Assert.Equal(string.Empty, cookie.Name);
        Assert.Equal("justavalue", cookie.Value);
        Assert.Contains(cookie.Validate(), static p => p.Contains("no name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a=1\u0001; Secure")]
    [InlineData("a=1\r\nSet-Cookie: b=2")]
    [InlineData("=")]
    [InlineData(" ; Secure")]
    public void Headers_browsers_ignore_do_not_parse(string header)
    {
        Assert.False(SetCookieHeader.TryParse(header, out _, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
        Assert.Throws<FormatException>(() => SetCookieHeader.Parse(header));
    }

    [Fact]
    public void Oversized_name_and_value_is_ignored()
    {
        Assert.False(SetCookieHeader.TryParse("a=" + new string('x', 4096), out _));
        Assert.True(SetCookieHeader.TryParse("a=" + new string('x', 4095), out _));
    }

    [Theory]
    [InlineData("__Host-id=1; Secure; Path=/", SetCookiePrefix.Host, 0)]
    [InlineData("__Host-id=1; Secure", SetCookiePrefix.Host, 1)]
    [InlineData("__Host-id=1; Path=/; Domain=example.com", SetCookiePrefix.Host, 2)]
    [InlineData("__host-id=1; Path=/", SetCookiePrefix.Host, 1)]
    [InlineData("__Secure-id=1", SetCookiePrefix.Secure, 1)]
    [InlineData("__Secure-id=1; Secure; Domain=example.com", SetCookiePrefix.Secure, 0)]
    [InlineData("id=1", SetCookiePrefix.None, 0)]
    public void Prefix_requirements_follow_rfc6265bis_4_1_3(string header, SetCookiePrefix prefix, int violations)
    {
        var cookie = SetCookieHeader.Parse(header);
        Assert.Equal(prefix, cookie.Prefix);
        Assert.Equal(violations, cookie.PrefixViolations().Count);
        Assert.Equal(violations == 0, cookie.MeetsPrefixRequirements);
    }

    [Fact]
    public void Validate_reports_problems_that_do_not_drop_the_cookie()
    {
        var problems = SetCookieHeader.Parse("id=a b; SameSite=None; Max-Age=1d; Colour=blue; Secure=yes; Secure=yes").Validate();

        Assert.Contains(problems, static p => p.Contains("cookie-octet", StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains("SameSite=None without Secure", StringComparison.Ordinal) is false && p.Contains("Max-Age", StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains("\"Colour\" is not a cookie attribute", StringComparison.Ordinal));
        Assert.Contains(problems, static p => p.Contains("more than once", StringComparison.Ordinal));
        Assert.Empty(SetCookieHeader.Parse("__Host-id=abc; Path=/; Secure; HttpOnly; SameSite=Strict").Validate());
    }

    [Fact]
    public void Serializes_back_in_order_and_attributes_can_be_added()
    {
        var cookie = SetCookieHeader.Parse("id=1;path=/;httponly");
        Assert.Equal("id=1; path=/; httponly", cookie.ToString());
        var hardened = cookie.WithAttribute("secure").WithAttribute("SameSite", "Lax").WithAttribute("samesite", "Strict");
        Assert.Equal("id=1; path=/; httponly; Secure; SameSite=Strict", hardened.ToString());
        Assert.True(hardened.Secure);
        Assert.Equal(SetCookieSameSite.Strict, SetCookieHeader.Parse(hardened.ToString()).SameSite);
        Assert.False(hardened.WithoutAttribute("Secure").Secure);
    }

    [Theory]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT", 2015, 10, 21, 7, 28, 0)]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT", 1994, 11, 6, 8, 49, 37)]
    [InlineData("Sun Nov  6 08:49:37 1994", 1994, 11, 6, 8, 49, 37)]
    [InlineData("6 nov 2069 1:2:3", 2069, 11, 6, 1, 2, 3)]
    [InlineData("Thu, 01 Jan 70 00:00:00 GMT", 1970, 1, 1, 0, 0, 0)]
    public void Cookie_dates_follow_rfc6265bis_5_1_1(string text, int year, int month, int day, int hour, int minute, int second)
    {
        Assert.True(SetCookieDate.TryParse(text, out var date));
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero), date);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30 Feb 2020 00:00:00")]
    [InlineData("Wed, 21 Oct 2015")]
    [InlineData("21 Oct 1600 00:00:00")]
    [InlineData("21 Oct 2015 24:00:00")]
    public void Invalid_cookie_dates_fail(string text) => Assert.False(SetCookieDate.TryParse(text, out _));
}
