using System.Globalization;
using System.Text;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>
/// Upstream addresses, which <see cref="StreamInfo"/> keeps as <c>ip:port</c> text (<c>[v6]:port</c> for IPv6):
/// printed whole, without the port, or just the port.
/// </summary>
internal sealed class AddressStringOperator : FormatOperator
{
    private readonly Func<StreamInfo, string?> _get;
    private readonly AddressPart _part;

    public AddressStringOperator(Func<StreamInfo, string?> get, AddressPart part)
    {
        _get = get;
        _part = part;
    }

    public override bool IsNumber => _part == AddressPart.Port;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var value = _get(context.StreamInfo);
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        if (_part == AddressPart.WithPort)
        {
            output.Append(value);
            return true;
        }
        Split(value, out var host, out var port);
        if (_part == AddressPart.WithoutPort)
        {
            output.Append(host);
            return true;
        }
        if (port.IsEmpty || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }
        output.Append(port);
        return true;
    }

    private static void Split(string value, out ReadOnlySpan<char> host, out ReadOnlySpan<char> port)
    {
        var span = value.AsSpan();
        var colon = span.LastIndexOf(':');
        if (span.Length > 0 && span[0] == '[')
        {
            var close = span.IndexOf(']');
            if (close > 0)
            {
                host = span[1..close];
                port = close + 1 < span.Length && span[close + 1] == ':' ? span[(close + 2)..] : default;
                return;
            }
        }
        // A bare IPv6 address has several colons and no port.
        if (colon < 0 || span[..colon].Contains(':'))
        {
            host = span;
            port = default;
            return;
        }
        host = span[..colon];
        port = span[(colon + 1)..];
    }
}
