using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Legate.Config;

namespace Legate.Listeners;

/// <summary>
/// Picks the filter chain for a new connection with Envoy's precedence: destination port, destination
/// IP (longest prefix), server name, transport protocol, application protocol, direct source IP,
/// source type, source IP (longest prefix), source port; at each step the most specific candidates
/// survive. Falls back to <c>default_filter_chain</c>.
/// </summary>
public sealed class FilterChainSelector
{
    private readonly CompiledChain[] _chains;
    private readonly FilterChain? _default;

    public FilterChainSelector(IReadOnlyList<FilterChain> chains, FilterChain? defaultChain, string path)
    {
        _chains = new CompiledChain[chains.Count];
        for (var i = 0; i < chains.Count; i++)
        {
            var chainPath = ConfigPath.Index(ConfigPath.Join(path, "filter_chains"), i);
            _chains[i] = new CompiledChain(chains[i], chainPath);
            for (var j = 0; j < i; j++)
            {
                if (chains[j].Match.Equals(chains[i].Match))
                {
                    throw new ConfigException(
                        ConfigPath.Join(chainPath, "filter_chain_match"),
                        "multiple filter chains with the same matching rules are defined (same as filter_chains[" + j + "])");
                }
            }
        }
        _default = defaultChain;
    }

    public FilterChain? Select(IPEndPoint? local, IPEndPoint? remote, string transportProtocol)
    {
        Span<bool> alive = _chains.Length <= 64 ? stackalloc bool[_chains.Length] : new bool[_chains.Length];
        alive.Fill(true);
        var localIp = Normalize(local?.Address);
        var remoteIp = Normalize(remote?.Address);

        // Destination port: exact port beats "any port".
        Narrow(alive, c => c.DestinationPort is { } p && local is not null && p == local.Port ? 1 : c.DestinationPort is null ? 0 : -1);
        Narrow(alive, c => c.DestinationPrefixes.Length == 0 ? 0 : LongestPrefix(c.DestinationPrefixes, localIp));
        // No TLS inspection yet: a connection carries no SNI and no ALPN.
        Narrow(alive, c => c.Match.ServerNames.Count == 0 ? 0 : -1);
        Narrow(alive, c => c.Match.TransportProtocol.Length == 0 ? 0 : c.Match.TransportProtocol == transportProtocol ? 1 : -1);
        Narrow(alive, c => c.Match.ApplicationProtocols.Count == 0 ? 0 : -1);
        Narrow(alive, c => c.DirectSourcePrefixes.Length == 0 ? 0 : LongestPrefix(c.DirectSourcePrefixes, remoteIp));
        Narrow(alive, c => SourceTypeScore(c.Match.SourceType, remoteIp, localIp));
        Narrow(alive, c => c.SourcePrefixes.Length == 0 ? 0 : LongestPrefix(c.SourcePrefixes, remoteIp));
        Narrow(alive, c => c.Match.SourcePorts.Count == 0 ? 0 : remote is not null && c.Match.SourcePorts.Contains((uint)remote.Port) ? 1 : -1);

        for (var i = 0; i < _chains.Length; i++)
        {
            if (alive[i])
            {
                return _chains[i].Chain;
            }
        }
        return _default;
    }

    /// <summary>Keeps only the candidates with the best non-negative score (negative = does not match).</summary>
    private void Narrow(Span<bool> alive, Func<CompiledChain, int> score)
    {
        var best = -1;
        for (var i = 0; i < _chains.Length; i++)
        {
            if (alive[i])
            {
                best = Math.Max(best, score(_chains[i]));
            }
        }
        for (var i = 0; i < _chains.Length; i++)
        {
            if (alive[i] && (best < 0 || score(_chains[i]) != best))
            {
                alive[i] = false;
            }
        }
    }

    private static int SourceTypeScore(FilterChainMatch.Types.ConnectionSourceType type, IPAddress? remote, IPAddress? local)
    {
        if (type == FilterChainMatch.Types.ConnectionSourceType.Any)
        {
            return 0;
        }
        var sameOrLoopback = remote is not null && (IPAddress.IsLoopback(remote) || remote.Equals(local));
        return type == FilterChainMatch.Types.ConnectionSourceType.SameIpOrLoopback
            ? (sameOrLoopback ? 1 : -1)
            : (sameOrLoopback ? -1 : 1);
    }

    /// <summary>1 + longest matching prefix length, or -1 when no range contains the address.</summary>
    private static int LongestPrefix(IPNetwork[] ranges, IPAddress? address)
    {
        if (address is null)
        {
            return -1;
        }
        var best = -1;
        foreach (var range in ranges)
        {
            if (range.BaseAddress.AddressFamily == address.AddressFamily && range.Contains(address))
            {
                best = Math.Max(best, range.PrefixLength + 1);
            }
        }
        return best;
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private sealed class CompiledChain
    {
        public CompiledChain(FilterChain chain, string path)
        {
            Chain = chain;
            Match = chain.Match;
            DestinationPort = Match.DestinationPort is { } p ? (int)p : null;
            var matchPath = ConfigPath.Join(path, "filter_chain_match");
            DestinationPrefixes = Cidrs(Match.PrefixRanges, ConfigPath.Join(matchPath, "prefix_ranges"));
            DirectSourcePrefixes = Cidrs(Match.DirectSourcePrefixRanges, ConfigPath.Join(matchPath, "direct_source_prefix_ranges"));
            SourcePrefixes = Cidrs(Match.SourcePrefixRanges, ConfigPath.Join(matchPath, "source_prefix_ranges"));
        }

        public FilterChain Chain { get; }

        public FilterChainMatch Match { get; }

        public int? DestinationPort { get; }

        public IPNetwork[] DestinationPrefixes { get; }

        public IPNetwork[] DirectSourcePrefixes { get; }

        public IPNetwork[] SourcePrefixes { get; }

        private static IPNetwork[] Cidrs(IList<CidrRange> ranges, string path)
        {
            var result = new IPNetwork[ranges.Count];
            for (var i = 0; i < ranges.Count; i++)
            {
                result[i] = CidrRanges.Parse(ranges[i], ConfigPath.Index(path, i));
            }
            return result;
        }
    }
}
