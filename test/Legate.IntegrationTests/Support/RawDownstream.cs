using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Legate.IntegrationTests.Support;

/// <summary>A downstream HTTP/1.1 client on a plain socket, for tests that look at the bytes and the connection itself.</summary>
public static class RawDownstream
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        return client;
    }

    public static async Task SendAsync(TcpClient client, string latin1) =>
        await client.GetStream().WriteAsync(Encoding.Latin1.GetBytes(latin1));

    /// <summary>True once the proxy has closed the connection (end of stream or a reset).</summary>
    public static async Task<bool> ClosedAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        try
        {
            return await client.GetStream().ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>One HTTP/1.1 response with a content-length body, as the proxy wrote it.</summary>
    public static async Task<RawResponse> ReadResponseAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        var stream = client.GetStream();
        var buffer = new byte[16 * 1024];
        var length = 0;
        int headEnd;
        while ((headEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
            if (read == 0)
            {
                throw new IOException("connection closed before a response head");
            }
            length += read;
        }
        var lines = Encoding.Latin1.GetString(buffer, 0, headEnd).Split("\r\n");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
        }
        var response = new RawResponse(int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), headers, string.Empty);
        var bodyLength = int.Parse(response.Header("content-length") ?? "0", CultureInfo.InvariantCulture);
        var bodyStart = headEnd + 4;
        while (length - bodyStart < bodyLength)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
            if (read == 0)
            {
                throw new IOException("connection closed inside a response body");
            }
            length += read;
        }
        return response with { Body = Encoding.UTF8.GetString(buffer, bodyStart, bodyLength) };
    }
}

/// <summary>A response as <see cref="RawDownstream"/> read it; header names lower case.</summary>
public sealed record RawResponse(int Status, List<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;
}
