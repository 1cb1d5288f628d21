using System.Net;
using System.Net.Sockets;

namespace Legate.Http;

/// <summary>
/// Envoy's notion of an "internal" downstream address: RFC1918, loopback and ULA by default,
/// or exactly the CIDR ranges of <c>internal_address_config</c> when given.
/// </summary>
public sealed class InternalAddresses
{
    private static readonly IPNetwork[] s_default =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("127.0.0.1/32"),
        IPNetwork.Parse("fd00::/8"),
        IPNetwork.Parse("::1/128"),
    ];

    private readonly IPNetwork[] _ranges;

    public InternalAddresses(IPNetwork[]? ranges = null) => _ranges = ranges ?? s_default;

    public bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var range in _ranges)
        {
            if (range.BaseAddress.AddressFamily == address.AddressFamily && range.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    public static bool TryParseIp(ReadOnlySpan<char> text, out IPAddress address)
    {
        text = text.Trim();
        if (IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
        {
            address = parsed;
            return true;
        }
        address = IPAddress.None;
        return false;
    }
}
