using System.Net;
using System.Net.Sockets;

namespace Legate.IntegrationTests.Support;

/// <summary>Port helpers for tests that need a fixed port (CLI processes) or must prove nothing listens.</summary>
public static class Ports
{
    /// <summary>A port that was free a moment ago: bound on 127.0.0.1:0 and released.</summary>
    public static int ReserveAndRelease()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>True when a TCP connect to 127.0.0.1:<paramref name="port"/> succeeds.</summary>
    public static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls until the port accepts connections or the deadline passes.</summary>
    public static async Task<bool> WaitUntilListeningAsync(int port, TimeSpan deadline, Func<bool>? giveUp = null)
    {
        var end = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < end)
        {
            if (await AcceptsConnectionsAsync(port))
            {
                return true;
            }
            if (giveUp is not null && giveUp())
            {
                return false;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
