using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

/// <summary>Keep-alive connections to the upstream, and one request/response exchange on one of them.</summary>
internal sealed class UpstreamPool(IPEndPoint upstream)
{
    private readonly ConcurrentStack<Socket> _idle = new();

    /// <summary>
    /// Sends a request head (no body) and receives the whole response into <paramref name="buffer"/>, which
    /// must hold it; returns the head's length (through the blank line) and the body's.
    /// </summary>
    public async ValueTask<(int Head, int Body)> ExchangeAsync(ReadOnlyMemory<byte> request, byte[] buffer)
    {
        if (!_idle.TryPop(out var socket))
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(upstream);
        }
        await socket.SendAsync(request, SocketFlags.None);
        var filled = 0;
        int head;
        while ((head = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled += await ReceiveAsync(socket, buffer, filled);
        }
        head += 4;
        var body = ContentLength(buffer.AsSpan(0, head));
        while (filled < head + body)
        {
            filled += await ReceiveAsync(socket, buffer, filled);
        }
        _idle.Push(socket);
        return (head, body);
    }

    private static async ValueTask<int> ReceiveAsync(Socket socket, byte[] buffer, int filled)
    {
        var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
        if (read == 0)
        {
            socket.Dispose();
            throw new IOException("the upstream closed the connection");
        }
        return read;
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        var at = head.IndexOf("\r\nContent-Length: "u8);
        if (at < 0)
        {
            throw new InvalidDataException("the floors handle content-length responses only");
        }
        var digits = head[(at + 18)..];
        var value = 0;
        for (var i = 0; i < digits.Length && digits[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = value * 10 + (digits[i] - '0');
        }
        return value;
    }
}
