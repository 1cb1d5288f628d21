using System.Net;
using Envoy.Config.Core.V3;
using Legate.Config;

namespace Legate.Listeners;

/// <summary>Turns Envoy's CidrRange into an <see cref="IPNetwork"/>, masking host bits like Envoy does.</summary>
public static class CidrRanges
{
    public static IPNetwork Parse(CidrRange range, string path)
    {
        if (!IPAddress.TryParse(range.AddressPrefix, out var address))
        {
            throw new ConfigException(ConfigPath.Join(path, "address_prefix"), "malformed IP address \"" + range.AddressPrefix + "\"");
        }
        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var length = range.PrefixLen is { } l ? (int)l : max;
        if (length > max)
        {
            throw new ConfigException(ConfigPath.Join(path, "prefix_len"), "invalid prefix length " + length + " for " + range.AddressPrefix);
        }
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }
}
