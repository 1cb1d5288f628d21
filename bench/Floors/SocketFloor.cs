using System.Net;
using System.Net.Sockets;

/// <summary>
/// The downstream side on bare sockets: read a request head, pass its bytes upstream unchanged, pass the
/// response back. What is left of a proxied request's CPU is the kernel's and the socket layer's.
/// </summary>
internal static class SocketFloor
{
    public static async Task RunAsync(IPEndPoint listen, UpstreamPool upstream)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(listen);
        listener.Listen(512);
        while (true)
        {
            var accepted = await listener.AcceptAsync();
            accepted.NoDelay = true;
            _ = ServeAsync(accepted, upstream);
        }
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
                    int end;
                    while ((end = request.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                    {
                        var read = await downstream.ReceiveAsync(request.AsMemory(filled), SocketFlags.None);
                        if (read == 0)
                        {
                            return;
                        }
                        filled += read;
                    }
                    end += 4;
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
