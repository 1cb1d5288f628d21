using System.Buffers;
using System.Globalization;
using Legate.Http;
using Legate.Upstream.Http.Http1;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>Streams the downstream request body to the upstream connection, chunk-framed when its length is unknown.</summary>
internal static class Http1RequestBody
{
    private const int BodyChunk = 16 * 1024;
    private static readonly byte[] s_lastChunk = "0\r\n\r\n"u8.ToArray();

    /// <summary>
    /// Sends the request body; runs alongside the response read so an upstream answering early cannot
    /// deadlock. Never throws: on any failure it closes the connection, which fails the response read.
    /// The request is complete once the body is sent: that starts the attempt's per-try timeout.
    /// <paramref name="cancel"/> stops waiting for the downstream's next bytes once the response no longer needs them.
    /// </summary>
    public static async Task SendAsync(Http1Connection connection, Stream body, Http1BodyFraming framing, StreamInfo info, PerTryTimer perTry,
        CancellationToken cancel)
    {
        // Room before the data for the chunk-size line; the CRLF after it goes behind.
        const int Prefix = 18;
        var buffer = ArrayPool<byte>.Shared.Rent(Prefix + BodyChunk + 2);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(Prefix, BodyChunk), cancel);
                if (read == 0)
                {
                    if (framing == Http1BodyFraming.Chunked)
                    {
                        await connection.SendAsync(s_lastChunk);
                    }
                    perTry.Start();
                    return;
                }
                if (framing != Http1BodyFraming.Chunked)
                {
                    await connection.SendAsync(buffer.AsMemory(Prefix, read));
                    continue;
                }
                info.BytesReceived += read;
                var sizeLine = read.ToString("x", CultureInfo.InvariantCulture) + "\r\n";
                var start = Prefix - sizeLine.Length;
                System.Text.Encoding.ASCII.GetBytes(sizeLine, buffer.AsSpan(start));
                buffer[Prefix + read] = (byte)'\r';
                buffer[Prefix + read + 1] = (byte)'\n';
                await connection.SendAsync(buffer.AsMemory(start, Prefix - start + read + 2));
            }
        }
        catch (Exception)
        {
            connection.Close();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
