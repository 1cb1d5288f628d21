using System.Net;
using System.Net.Sockets;
using System.Text;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>
/// Downstream addresses (<c>%DOWNSTREAM_REMOTE_ADDRESS%</c>, <c>..._WITHOUT_PORT</c>, <c>..._PORT</c>) printed as
/// Envoy does: <c>1.2.3.4:80</c>, <c>[::1]:80</c>; IPv4-mapped IPv6 peers of dual-stack sockets print as IPv4.
/// </summary>
internal sealed class EndPointOperator : FormatOperator
{
    private const string MappedPrefix = "::ffff:";

    private readonly Func<StreamInfo, IPEndPoint?> _get;
    private readonly AddressPart _part;

    public EndPointOperator(Func<StreamInfo, IPEndPoint?> get, AddressPart part)
    {
        _get = get;
        _part = part;
    }

    public override bool IsNumber => _part == AddressPart.Port;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var endPoint = _get(context.StreamInfo);
        if (endPoint is null)
        {
            return false;
        }
        if (_part == AddressPart.Port)
        {
            NumberWriter.Append(output, endPoint.Port);
            return true;
        }
        Append(output, endPoint, _part == AddressPart.WithPort);
        return true;
    }

    public static void Append(StringBuilder output, IPEndPoint endPoint, bool withPort)
    {
        var address = endPoint.Address;
        Span<char> buffer = stackalloc char[64];
        address.TryFormat(buffer, out var written);
        ReadOnlySpan<char> text = buffer[..written];
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 && address.IsIPv4MappedToIPv6 && text.StartsWith(MappedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[MappedPrefix.Length..];
            v6 = false;
        }
        if (!withPort)
        {
            output.Append(text);
            return;
        }
        if (v6)
        {
            output.Append('[').Append(text).Append(']');
        }
        else
        {
            output.Append(text);
        }
        output.Append(':');
        NumberWriter.Append(output, endPoint.Port);
    }
}
