using SecureHeaders.Internal;

namespace SecureHeaders.Tests.Internal;

public class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b]0;pwned\u0007", "?]0;pwned?")]
    [InlineData("a\u001b[2Jb", "a?[2Jb")]
    [InlineData("\u009b31m", "?31m")]
    [InlineData("evil\u202Etxt.exe", "evil?txt.exe")]
    [InlineData("\u2066x\u2069\u200E\u200F\u061C", "?x????")]
    [InlineData("line\nbreak\r\ttab\u0000\u007F\u2028\u2029", "line?break??tab????")]
    [InlineData("bücher.example — ok ✓", "bücher.example — ok ✓")]
    public void Replaces_what_a_terminal_would_act_on(string input, string expected) => Assert.Equal(expected, TerminalText.Clean(input));

    [Fact]
    public void Clean_text_is_returned_as_is()
    {
        const string clean = "https://cdn.example.net/app.js";

        Assert.Same(clean, TerminalText.Clean(clean));
        Assert.Equal(string.Empty, TerminalText.Clean(null));
    }
}
