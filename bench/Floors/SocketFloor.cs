using System.Net;
using System.Net.Sockets;

/// <summary>
/// The downstream side on bare sockets: read a request head, pass its bytes upstream unchanged, pass the
/// response back. What is left of a proxied request's CPU is the kernel's and the socket layer's.
/// </summary>
internal static class SocketFloor
{
    public static Task RunAsync(IPEndPoint listen, UpstreamPool upstream) => AcceptAsync(listen, socket => ServeAsync(socket, upstream));

    /// <summary>Accepts connections on <paramref name="listen"/> forever, each served by <paramref name="serve"/>.</summary>
    internal static async Task AcceptAsync(IPEndPoint listen, Func<Socket, Task> serve)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(listen);
        listener.Listen(512);
        while (true)
        {
            var accepted = await listener.AcceptAsync();
            accepted.NoDelay = true;
            _ = serve(accepted);
        }
    }

    /// <summary>
    /// Receives until <paramref name="buffer"/>[..filled] holds a whole request head; returns where the head ends
    /// (past its blank line), or -1 when the client closed.
    /// </summary>
    internal static async ValueTask<(int End, int Filled)> ReadHeadAsync(Socket socket, byte[] buffer, int filled)
    {
        int end;
        while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (read == 0)
            {
                return (-1, filled);
            }
            filled += read;
        }
        return (end + 4, filled);
    }

    private static async Task ServeAsync(Socket downstream, UpstreamPool upstream)
    {
        var request = new byte[8192];
        var response = new byte[64 * 1024];
        using (downstream)
        {
            try
            {
                var filled = 0;
                while (true)
                {
                    (var end, filled) = await ReadHeadAsync(downstream, request, filled);
                    if (end < 0)
                    {
                        return;
                    }
                    var (head, body) = await upstream.ExchangeAsync(request.AsMemory(0, end), response);
                    await downstream.SendAsync(response.AsMemory(0, head + body), SocketFlags.None);
                    // A pipelined next request may already be here.
                    request.AsSpan(end, filled - end).CopyTo(request);
                    filled -= end;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
            {
                Console.Error.WriteLine(e.Message);
            }
        }
    }
}
