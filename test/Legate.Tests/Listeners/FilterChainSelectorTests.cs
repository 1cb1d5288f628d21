using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Legate.Config;
using Legate.Listeners;

namespace Legate.Tests.Listeners;

public class FilterChainSelectorTests
{
    private static Legate.Listeners.FilterChain Chain(string name, FilterChainMatch? match) => new(name, match, []);

    [Fact]
    public void Exact_destination_port_beats_any_port()
    {
        var any = Chain("any", null);
        var port = Chain("port", new FilterChainMatch { DestinationPort = 8080 });
        var selector = new FilterChainSelector([any, port], null, "listener");
        Assert.Same(port, selector.Select(new IPEndPoint(IPAddress.Loopback, 8080), new IPEndPoint(IPAddress.Loopback, 5000), "raw_buffer"));
        Assert.Same(any, selector.Select(new IPEndPoint(IPAddress.Loopback, 9090), new IPEndPoint(IPAddress.Loopback, 5000), "raw_buffer"));
    }

    [Fact]
    public void Longest_source_prefix_wins_and_no_match_uses_default()
    {
        var wide = Chain("wide", new FilterChainMatch { SourcePrefixRanges = { new CidrRange { AddressPrefix = "127.0.0.0", PrefixLen = 8 } } });
        var narrow = Chain("narrow", new FilterChainMatch { SourcePrefixRanges = { new CidrRange { AddressPrefix = "127.0.0.2", PrefixLen = 32 } } });
        var fallback = Chain("default", null);
        var selector = new FilterChainSelector([wide, narrow], fallback, "listener");
        var local = new IPEndPoint(IPAddress.Loopback, 80);
        Assert.Same(narrow, selector.Select(local, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 1), "raw_buffer"));
        Assert.Same(wide, selector.Select(local, new IPEndPoint(IPAddress.Parse("127.0.0.3"), 1), "raw_buffer"));
        Assert.Same(fallback, selector.Select(local, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1), "raw_buffer"));
    }

    [Fact]
    public void Destination_prefix_and_server_names()
    {
        var sni = Chain("sni", new FilterChainMatch { ServerNames = { "example.com" } });
        var dst = Chain("dst", new FilterChainMatch { PrefixRanges = { new CidrRange { AddressPrefix = "127.0.0.1", PrefixLen = 32 } } });
        var selector = new FilterChainSelector([sni, dst], null, "listener");
        Assert.Same(dst, selector.Select(new IPEndPoint(IPAddress.Loopback, 80), new IPEndPoint(IPAddress.Loopback, 1), "raw_buffer"));
        Assert.Null(selector.Select(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 80), new IPEndPoint(IPAddress.Loopback, 1), "raw_buffer"));
    }

    [Fact]
    public void Identical_matches_are_a_config_error_naming_the_chain()
    {
        var ex = Assert.Throws<ConfigException>(() => new FilterChainSelector([Chain("a", null), Chain("b", null)], null, "static_resources.listeners[0]"));
        Assert.StartsWith("static_resources.listeners[0].filter_chains[1].filter_chain_match: multiple filter chains with the same matching rules", ex.Message);
    }
}
