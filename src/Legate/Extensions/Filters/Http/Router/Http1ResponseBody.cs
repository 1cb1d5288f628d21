using System.IO.Pipelines;
using Legate.Http;
using Legate.Upstream.Http.Http1;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Moves an upstream HTTP/1.1 response body into the downstream response by its framing: a known length
/// is received straight into the downstream's pipe, chunked bodies are unframed by
/// <see cref="Http1ChunkedBody"/>, and a body without either runs until the upstream closes.
/// </summary>
internal static class Http1ResponseBody
{
    private const int BodyChunk = 16 * 1024;

    /// <summary>Copies the response body downstream; false when its end is only known by the connection closing.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<bool> CopyAsync(Http1Connection connection, Http1ResponseHead response, PipeWriter writer, StreamInfo info)
    {
        if (response.Chunked)
        {
            await Http1ChunkedBody.CopyAsync(connection, writer, info);
            return true;
        }
        if (response.ContentLength is { } length)
        {
            await CopyLengthAsync(connection, writer, length);
            return true;
        }
        // Neither length nor chunked: the body runs until the upstream closes.
        while (true)
        {
            if (connection.Buffered > 0)
            {
                info.BytesSent += connection.Buffered;
                Write(writer, connection.Buffer.AsSpan(connection.Start, connection.Buffered));
                connection.Start = connection.End = 0;
                await FlushAsync(writer);
            }
            if (await connection.FillAsync() == 0)
            {
                return false;
            }
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CopyLengthAsync(Http1Connection connection, PipeWriter writer, long remaining)
    {
        var buffered = WriteBuffered(connection, writer, remaining);
        remaining -= buffered;
        if (buffered > 0 && remaining > 0)
        {
            // The rest of a body that filled the first read has usually arrived with it. What the socket already
            // holds is taken now, so the head and the body leave downstream in one send; only when the rest has to
            // be waited for (or the read failed) are the head and the first part committed first, so a failure
            // from then on resets the downstream instead of replacing a response that has already begun.
            var pending = connection.ReceiveMoreAsync();
            if (!pending.IsCompletedSuccessfully)
            {
                await FlushAsync(writer);
            }
            if (connection.Filled(await pending) == 0)
            {
                await FlushAsync(writer);
                throw Ended();
            }
            remaining -= WriteBuffered(connection, writer, remaining);
        }
        while (remaining > 0)
        {
            // Straight from the socket into the downstream's pipe.
            var memory = writer.GetMemory((int)Math.Min(remaining, BodyChunk));
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }
            var read = await connection.ReceiveAsync(memory);
            if (read == 0)
            {
                throw Ended();
            }
            writer.Advance(read);
            remaining -= read;
            await FlushAsync(writer);
        }
    }

    /// <summary>Moves what the connection has buffered, up to <paramref name="limit"/> bytes, into the downstream pipe.</summary>
    private static int WriteBuffered(Http1Connection connection, PipeWriter writer, long limit)
    {
        var count = (int)Math.Min(connection.Buffered, limit);
        Write(writer, connection.Buffer.AsSpan(connection.Start, count));
        connection.Start += count;
        return count;
    }

    /// <summary>
    /// Copies into the downstream pipe. Kestrel's writer hands out an empty span for a size hint of 0
    /// before the response has started, so the hint is always the size wanted.
    /// </summary>
    internal static void Write(PipeWriter writer, ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var span = writer.GetSpan(Math.Min(data.Length, BodyChunk));
            var n = Math.Min(span.Length, data.Length);
            data[..n].CopyTo(span);
            writer.Advance(n);
            data = data[n..];
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    internal static async ValueTask FlushAsync(PipeWriter writer)
    {
        var result = await writer.FlushAsync();
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new DownstreamGoneException();
        }
    }

    /// <summary>The upstream closed before the body's framing said it was complete.</summary>
    internal static HttpRequestException Ended() =>
        new(HttpRequestError.ResponseEnded, "upstream closed the connection mid-body");
}
