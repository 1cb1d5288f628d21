using System.Net;
using System.Net.Sockets;
using DnsLookupFamily = Envoy.Config.Cluster.V3.Cluster.Types.DnsLookupFamily;

namespace Legate.Upstream.Clusters;

/// <summary>
/// Name resolution through the system resolver (System.Net.Dns), shaped by Envoy's dns_lookup_family:
/// AUTO prefers IPv6 and falls back to IPv4, V4_PREFERRED the reverse, ALL keeps both (IPv4 first).
/// </summary>
internal static class DnsLookup
{
    public static async Task<IPAddress[]> ResolveAsync(string name, DnsLookupFamily family, CancellationToken ct)
    {
        if (LoadAssignmentParser.TryParseIp(name, out var literal))
        {
            return [literal];
        }
        var queryFamily = family switch
        {
            DnsLookupFamily.V4Only => AddressFamily.InterNetwork,
            DnsLookupFamily.V6Only => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        var addresses = await Dns.GetHostAddressesAsync(name, queryFamily, ct).ConfigureAwait(false);
        return Select(addresses, family);
    }

    internal static IPAddress[] Select(IPAddress[] addresses, DnsLookupFamily family)
    {
        var v4 = new List<IPAddress>();
        var v6 = new List<IPAddress>();
        foreach (var address in addresses)
        {
            var list = address.AddressFamily == AddressFamily.InterNetwork ? v4 : v6;
            if (address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !list.Contains(address))
            {
                list.Add(address);
            }
        }
        return family switch
        {
            DnsLookupFamily.V4Only => [.. v4],
            DnsLookupFamily.V6Only => [.. v6],
            DnsLookupFamily.V4Preferred => v4.Count > 0 ? [.. v4] : [.. v6],
            DnsLookupFamily.All => [.. v4, .. v6],
            _ => v6.Count > 0 ? [.. v6] : [.. v4],
        };
    }
}
