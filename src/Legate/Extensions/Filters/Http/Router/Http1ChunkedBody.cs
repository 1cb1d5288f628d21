using System.Buffers.Text;
using System.IO.Pipelines;
using Legate.Http;
using Legate.Upstream.Http.Http1;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Copies a chunked upstream response body downstream without its framing (the downstream codec frames
/// it again: chunked for HTTP/1.1, DATA frames for HTTP/2). Chunk extensions and trailers are dropped.
/// </summary>
internal static class Http1ChunkedBody
{
    private const int MaxLine = 4096;

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask CopyAsync(Http1Connection connection, PipeWriter writer, StreamInfo info)
    {
        while (true)
        {
            var size = await ReadChunkSizeAsync(connection);
            if (size == 0)
            {
                await SkipTrailersAsync(connection);
                return;
            }
            info.BytesSent += size;
            var remaining = size;
            while (remaining > 0)
            {
                if (connection.Buffered == 0)
                {
                    // Pass on what we have before waiting for the upstream.
                    await Http1ResponseBody.FlushAsync(writer);
                    if (await connection.FillAsync() == 0)
                    {
                        throw Http1ResponseBody.Ended();
                    }
                }
                var take = (int)Math.Min(connection.Buffered, remaining);
                Http1ResponseBody.Write(writer, connection.Buffer.AsSpan(connection.Start, take));
                connection.Start += take;
                remaining -= take;
            }
            await ExpectCrlfAsync(connection);
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<long> ReadChunkSizeAsync(Http1Connection connection)
    {
        var line = await ReadLineAsync(connection);
        var span = connection.Buffer.AsSpan(line.Start, line.Length);
        var extension = span.IndexOf((byte)';');
        if (extension >= 0)
        {
            span = span[..extension];
        }
        span = span.Trim(" \t"u8);
        if (span.IsEmpty || span.Length > 15 || !Utf8Parser.TryParse(span, out long size, out var used, 'x') || used != span.Length)
        {
            throw Http1ResponseHead.Invalid("bad chunk size");
        }
        return size;
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SkipTrailersAsync(Http1Connection connection)
    {
        while ((await ReadLineAsync(connection)).Length > 0)
        {
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ExpectCrlfAsync(Http1Connection connection)
    {
        if ((await ReadLineAsync(connection)).Length != 0)
        {
            throw Http1ResponseHead.Invalid("chunk data longer than its size");
        }
    }

    /// <summary>The next line (without CR LF) as a range of the connection buffer, consumed.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(int Start, int Length)> ReadLineAsync(Http1Connection connection)
    {
        while (true)
        {
            var newline = connection.Buffer.AsSpan(connection.Start, connection.Buffered).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var start = connection.Start;
                var length = newline > 0 && connection.Buffer[start + newline - 1] == (byte)'\r' ? newline - 1 : newline;
                connection.Start += newline + 1;
                return (start, length);
            }
            if (connection.Buffered >= MaxLine)
            {
                throw Http1ResponseHead.Invalid("chunk line too long");
            }
            if (await connection.FillAsync() == 0)
            {
                throw Http1ResponseBody.Ended();
            }
        }
    }
}
