using System.Net;
using SecureHeaders.Reporting.AspNetCore.Ingest;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Ingest;

public class ClientRateLimiterTests
{
    [Fact]
    public void Ipv4_and_ipv4_mapped_ipv6_share_a_key()
    {
        Assert.Equal(ClientRateLimiter.ClientKey(IPAddress.Parse("203.0.113.7")), ClientRateLimiter.ClientKey(IPAddress.Parse("::ffff:203.0.113.7")));
        Assert.NotEqual(ClientRateLimiter.ClientKey(IPAddress.Parse("203.0.113.7")), ClientRateLimiter.ClientKey(IPAddress.Parse("203.0.113.8")));
    }

    [Fact]
    public void Ipv6_is_keyed_by_its_64_bit_prefix()
    {
        Assert.Equal(ClientRateLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2::1")), ClientRateLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(ClientRateLimiter.ClientKey(IPAddress.Parse("2001:db8:1:2::1")), ClientRateLimiter.ClientKey(IPAddress.Parse("2001:db8:1:3::1")));
    }
}
