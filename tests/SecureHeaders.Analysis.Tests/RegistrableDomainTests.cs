namespace SecureHeaders.Analysis.Tests;

/// <summary>The registrable domain by the real Public Suffix List, including the cases the old 29-label guess got wrong.</summary>
public sealed class RegistrableDomainTests
{
    [Theory]
    [InlineData("www.example.com", "example.com")]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("x.police.uk", "x.police.uk")]          // police.uk is a public suffix
    [InlineData("a.x.police.uk", "x.police.uk")]
    [InlineData("x.me.uk", "x.me.uk")]
    [InlineData("shop.example.com.au", "example.com.au")]
    [InlineData("foo.bar.kawasaki.jp", "foo.bar.kawasaki.jp")]   // *.kawasaki.jp
    [InlineData("www.city.kawasaki.jp", "city.kawasaki.jp")]     // !city.kawasaki.jp
    [InlineData("a.b.ck", "a.b.ck")]                              // *.ck
    [InlineData("www.ck", "www.ck")]                              // !www.ck
    [InlineData("example.unknowntld", "example.unknowntld")]     // the default rule "*"
    [InlineData("EXAMPLE.COM.", "example.com")]
    [InlineData("user.github.io", "github.io")]                  // private section: not used by the Observatory
    [InlineData("com", null)]
    [InlineData("co.uk", null)]
    [InlineData("localhost", null)]
    [InlineData("127.0.0.1", null)]
    [InlineData("[::1]", null)]
    [InlineData("a..b", null)]
    public void Icann_section(string host, string? expected) => Assert.Equal(expected, RegistrableDomain.Of(host));

    [Fact]
    public void The_private_section_when_asked_for() =>
        Assert.Equal("user.github.io", RegistrableDomain.Of("www.user.github.io", includePrivate: true));
}
