using System.Net;
using Legate.Http;

namespace Legate.Tests.Http;

public class XForwardedForTests
{
    [Theory]
    [InlineData("1.1.1.1, 2.2.2.2, 3.3.3.3", 1, "3.3.3.3")]
    [InlineData("1.1.1.1, 2.2.2.2, 3.3.3.3", 2, "2.2.2.2")]
    [InlineData("1.1.1.1,2.2.2.2", 2, "1.1.1.1")]
    [InlineData("1.1.1.1", 2, null)]
    [InlineData("garbage", 1, null)]
    public void Picks_nth_address_from_the_right(string xff, int n, string? expected)
    {
        var ip = RequestHeaderPolicy.NthFromRight(xff, n);
        Assert.Equal(expected, ip?.ToString());
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("::1", true)]
    [InlineData("fd00::5", true)]
    [InlineData("2001:db8::1", false)]
    public void Default_internal_addresses(string address, bool expected)
    {
        Assert.Equal(expected, new InternalAddresses().IsInternal(IPAddress.Parse(address)));
    }
}
