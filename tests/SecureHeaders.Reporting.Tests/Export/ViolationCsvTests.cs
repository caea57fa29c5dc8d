using SecureHeaders.Reporting.Export;

namespace SecureHeaders.Reporting.Tests.Export;

/// <summary>A spreadsheet runs a cell starting with = + - @ as a formula, also after white space or a line break it skips.</summary>
public class ViolationCsvTests
{
    [Theory]
    [InlineData(" =1+1", "' =1+1")]
    [InlineData("\t=cmd", "'\t=cmd")]
    [InlineData("\n=cmd", "\"'\n=cmd\"")]
    [InlineData("\r=cmd", "\"'\r=cmd\"")]
    [InlineData("=cmd", "'=cmd")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("https://x.example/", "https://x.example/")]
    public void Csv_fields(string value, string expected) => Assert.Equal(expected, ViolationCsv.Field(value));

}
