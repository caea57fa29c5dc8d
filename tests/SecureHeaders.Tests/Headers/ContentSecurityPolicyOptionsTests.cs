using SecureHeaders.Headers;

namespace SecureHeaders.Tests.Headers;

public class ContentSecurityPolicyOptionsTests
{
    [Fact]
    public void Use_keeps_every_directive_as_written_and_the_first_of_a_repeat()
    {
        // Nothing is dropped silently: the non-ASCII directive stays so that startup validation reports it.
        var options = new ContentSecurityPolicyOptions().Use(" Default-Src 'self' ;;img-src https://exämple.com; default-src *; upgrade-insecure-requests");

        Assert.Equal(["Default-Src", "img-src", "upgrade-insecure-requests"], options.Directives.Keys);
        Assert.Equal(["'self'"], options.Directives["default-src"]);
        Assert.Equal(["https://exämple.com"], options.Directives["img-src"]);
        Assert.Empty(options.Directives["upgrade-insecure-requests"]);
    }
}
