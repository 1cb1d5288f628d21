using System.Net;
using System.Net.Sockets;

namespace Legate.IntegrationTests.Support;

/// <summary>
/// A raw TCP upstream on 127.0.0.1:0 that runs <c>handler</c> on every accepted socket and closes it after.
/// For tcp_proxy tests: echo, a banner sent first, an answer after the client's FIN.
/// </summary>
public sealed class TcpTestUpstream : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    private TcpTestUpstream(Func<Socket, Task> handler)
    {
        _handler = handler;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public static TcpTestUpstream Start(Func<Socket, Task> handler) => new(handler);

    /// <summary>Sends back every byte it receives; half-closes after the client's FIN.</summary>
    public static TcpTestUpstream Echo() => Start(async socket =>
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
        }
        socket.Shutdown(SocketShutdown.Send);
    });

    /// <summary>Sends <paramref name="text"/> as soon as it accepts, then closes.</summary>
    public static TcpTestUpstream Banner(string text) => Start(async socket =>
    {
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
        await TcpTestClient.ReadToEndAsync(socket);
    });

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await _handler(socket);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }
}

/// <summary>Plain socket client steps for tcp_proxy tests.</summary>
public static class TcpTestClient
{
    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Reads until the peer's FIN (or a reset), bounded so a test cannot hang.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset ends the stream too; the bytes before it are what the test checks.
        }
        return received.ToArray();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var data = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = await socket.ReceiveAsync(data.AsMemory(total), SocketFlags.None, cts.Token);
            if (read == 0)
            {
                throw new IOException("closed after " + total + " of " + count + " bytes");
            }
            total += read;
        }
        return data;
    }
}
