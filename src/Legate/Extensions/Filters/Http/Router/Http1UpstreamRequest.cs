using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using Legate.Http;
using Legate.Upstream;
using Legate.Upstream.Http.Http1;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// The router's upstream request over its own HTTP/1.1 connection pool: the request head is written
/// straight from the downstream headers, the response head is parsed into the downstream response and
/// the body is received straight into the downstream's pipe. No HttpRequestMessage, HttpResponseMessage
/// or HttpClient header collections in between. Outcomes use YARP's <see cref="ForwarderError"/> so the
/// router treats both clients alike.
/// </summary>
internal static class Http1UpstreamRequest
{
    private const int BodyChunk = 16 * 1024;
    private static readonly byte[] s_lastChunk = "0\r\n\r\n"u8.ToArray();

    /// <summary>Whether this request can take the HTTP/1.1 path (the rest go through YARP's forwarder).</summary>
    public static bool CanForward(HttpStream stream, UpstreamCluster cluster) =>
        stream.UpgradeType is null && !stream.IsGrpc
        && (cluster.Protocol == UpstreamHttpProtocol.Http1
            || (cluster.Protocol == UpstreamHttpProtocol.UseDownstream && !Legate.Http.HttpProtocol.IsHttp2(stream.Context.Request.Protocol)))
        && !HttpMethods.IsConnect(stream.Context.Request.Method);

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ForwarderError> SendAsync(HttpStream stream, UpstreamCluster cluster, Host host, TimeSpan idle, bool suppressEnvoyHeaders,
        RetryState? retry, CancellationToken token)
    {
        var context = stream.Context;
        var request = context.Request;
        var framing = FramingOf(context, out var contentLength);
        var head = WriteHead(stream, request, framing, contentLength, retry, out var headLength);
        var pool = host.Http1Pool(cluster);
        Http1Connection? connection = null;
        var registration = default(AbortRegistration);
        var reusable = false;
        var phase = ForwarderError.Request;
        try
        {
            var (conn, reused) = await pool.AcquireAsync(token);
            connection = conn;
            Task? body = null;
            while (true)
            {
                connection.RequestCount++;
                connection.StreamIdleTicks = (long)(idle.TotalSeconds * Stopwatch.Frequency);
                connection.LastActivity = Stopwatch.GetTimestamp();
                stream.Info.FirstUpstreamTxByteTimestamp = connection.LastActivity;
                registration = Abortable(connection, token, context);
                try
                {
                    await connection.SendAsync(head.AsMemory(0, headLength));
                    body = framing == Http1BodyFraming.None ? null : SendBodyAsync(connection, request.Body, framing, stream.Info);
                    await ReadHeadAsync(connection);
                    break;
                }
                catch (Exception) when (reused && framing == Http1BodyFraming.None && connection.Buffered == 0 && !token.IsCancellationRequested
                    && !context.RequestAborted.IsCancellationRequested && !connection.IdleTimedOut)
                {
                    // A pooled connection the upstream closed meanwhile: the request never reached it, so it
                    // goes once more on a fresh connection (nothing was sent downstream yet).
                    registration.Dispose();
                    registration = default;
                    pool.Discard(connection);
                    connection = null;
                    (connection, reused) = await pool.ConnectAsync(token);
                }
            }

            phase = ForwarderError.ResponseBodyDestination;
            var response = connection.Response;
            var hasBody = response.Status is not (204 or 304) && !HttpMethods.IsHead(request.Method);
            if (retry is not null && !PassResponse(stream, retry, response))
            {
                // Retried: nothing of this response reaches the downstream; the connection survives only if
                // the whole body is already here.
                reusable = body is null && !response.ConnectionClose && SkipBufferedBody(connection, response, hasBody);
                return ForwarderError.None;
            }
            StartResponse(stream, response, suppressEnvoyHeaders);
            var complete = !hasBody || await CopyBodyAsync(connection, response, context.Response.BodyWriter, stream.Info);
            reusable = complete && !response.ConnectionClose;
            if (body is not null)
            {
                if (!body.IsCompleted)
                {
                    // The upstream answered before taking the whole request body: the connection cannot be reused.
                    reusable = false;
                    connection.Close();
                }
                await body;
                reusable &= !connection.IsClosed;
            }
            return ForwarderError.None;
        }
        catch (Exception e)
        {
            reusable = false;
            return Fail(context, connection, token, phase, e);
        }
        finally
        {
            registration.Dispose();
            ArrayPool<byte>.Shared.Return(head);
            if (connection is not null)
            {
                pool.Release(connection, reusable);
            }
        }
    }

    private static Http1BodyFraming FramingOf(HttpContext context, out long contentLength)
    {
        contentLength = 0;
        if (context.Request.ContentLength is { } length)
        {
            contentLength = length;
            return Http1BodyFraming.ContentLength;
        }
        return context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true ? Http1BodyFraming.Chunked : Http1BodyFraming.None;
    }

    private static byte[] WriteHead(HttpStream stream, HttpRequest request, Http1BodyFraming framing, long contentLength, RetryState? retry, out int length)
    {
        var attemptCount = default(KeyValuePair<string, string>);
        var timeoutRetry = default(KeyValuePair<string, string>);
        if (stream.VirtualHost is { } virtualHost)
        {
            if (virtualHost.IncludeRequestAttemptCount)
            {
                attemptCount = new("x-envoy-attempt-count", MillisecondsText.Of(stream.Info.UpstreamRequestAttemptCount));
            }
            if (virtualHost.IncludeIsTimeoutRetryHeader && stream.Info.UpstreamRequestAttemptCount > 1 && retry is not null)
            {
                timeoutRetry = new("x-envoy-is-timeout-retry", retry.IsTimeoutRetry ? "true" : "false");
            }
        }
        var authority = stream.UpstreamAuthority ?? request.Headers.Host.ToString();
        return Http1RequestHead.Write(request.Method, stream.Path, authority, request.Headers, framing, contentLength, attemptCount, timeoutRetry, out length);
    }

    /// <summary>Reads until a final (non-1xx) response head is parsed into the connection's <see cref="Http1Connection.Response"/>.</summary>
    private static async ValueTask ReadHeadAsync(Http1Connection connection)
    {
        var response = connection.Response;
        while (true)
        {
            if (connection.Buffered > 0 && response.TryParse(connection.Buffer.AsSpan(connection.Start, connection.Buffered), out var consumed))
            {
                connection.Start += consumed;
                if (response.Status >= 200)
                {
                    return;
                }
                if (response.Status == 101)
                {
                    throw Http1ResponseHead.Invalid("101 Switching Protocols without an upgrade request");
                }
                // 100 Continue, 102, 103: informational, the final response follows.
                continue;
            }
            if (await connection.FillAsync() == 0)
            {
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "upstream closed the connection before response headers");
            }
        }
    }

    private static bool PassResponse(HttpStream stream, RetryState retry, Http1ResponseHead response)
    {
        var rateLimited = false;
        var grpcStatus = -1;
        foreach (var header in response.Headers)
        {
            if (header.Key == "x-envoy-ratelimited")
            {
                rateLimited = true;
            }
            else if (header.Key == "grpc-status" && int.TryParse(header.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                grpcStatus = parsed;
            }
        }
        return RouterTransformer.PassResponse(stream, retry, retry.ShouldRetryResponse(response.Status, rateLimited, grpcStatus), response.Status);
    }

    private static void StartResponse(HttpStream stream, Http1ResponseHead response, bool suppressEnvoyHeaders)
    {
        var downstream = stream.Context.Response;
        downstream.StatusCode = response.Status;
        var headers = downstream.Headers;
        foreach (var header in response.Headers)
        {
            if (headers.TryGetValue(header.Key, out var existing))
            {
                headers[header.Key] = Microsoft.Extensions.Primitives.StringValues.Concat(existing, header.Value);
            }
            else
            {
                headers[header.Key] = header.Value;
            }
        }
        if (response.ContentLength is { } length && !HttpMethods.IsHead(stream.Context.Request.Method) && response.Status is not (204 or 304))
        {
            stream.Info.BytesSent += length;
        }
        if (stream.Context.Request.ContentLength is { } received)
        {
            stream.Info.BytesReceived += received;
        }
        RouterTransformer.OnUpstreamHeaders(stream, response.Status, suppressEnvoyHeaders);
    }

    /// <summary>Copies the response body downstream; false when its end is only known by the connection closing.</summary>
    private static async ValueTask<bool> CopyBodyAsync(Http1Connection connection, Http1ResponseHead response, PipeWriter writer, StreamInfo info)
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

    private static async ValueTask CopyLengthAsync(Http1Connection connection, PipeWriter writer, long remaining)
    {
        var buffered = (int)Math.Min(connection.Buffered, remaining);
        if (buffered > 0)
        {
            Write(writer, connection.Buffer.AsSpan(connection.Start, buffered));
            connection.Start += buffered;
            remaining -= buffered;
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
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "upstream closed the connection mid-body");
            }
            writer.Advance(read);
            remaining -= read;
            await FlushAsync(writer);
        }
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

    internal static async ValueTask FlushAsync(PipeWriter writer)
    {
        var result = await writer.FlushAsync();
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new DownstreamGoneException();
        }
    }

    /// <summary>
    /// Sends the request body; runs alongside the response read so an upstream answering early cannot
    /// deadlock. Never throws: on any failure it closes the connection, which fails the response read.
    /// </summary>
    private static async Task SendBodyAsync(Http1Connection connection, Stream body, Http1BodyFraming framing, StreamInfo info)
    {
        // Room before the data for the chunk-size line; the CRLF after it goes behind.
        const int Prefix = 18;
        var buffer = ArrayPool<byte>.Shared.Rent(Prefix + BodyChunk + 2);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(Prefix, BodyChunk));
                if (read == 0)
                {
                    if (framing == Http1BodyFraming.Chunked)
                    {
                        await connection.SendAsync(s_lastChunk);
                    }
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

    /// <summary>Skips a retried response's body when it is already buffered; false when the connection must go.</summary>
    private static bool SkipBufferedBody(Http1Connection connection, Http1ResponseHead response, bool hasBody)
    {
        if (!hasBody)
        {
            return true;
        }
        if (response.ContentLength is { } length && length <= connection.Buffered)
        {
            connection.Start += (int)length;
            return true;
        }
        return false;
    }

    /// <summary>While registered, the request's deadline, the downstream going away or nothing: each aborts the upstream connection.</summary>
    private static AbortRegistration Abortable(Http1Connection connection, CancellationToken token, HttpContext context) =>
        new(token.CanBeCanceled ? token.UnsafeRegister(static c => ((Http1Connection)c!).Close(), connection) : default,
            context.RequestAborted.UnsafeRegister(static c => ((Http1Connection)c!).Close(), connection));

    private static ForwarderError Fail(HttpContext context, Http1Connection? connection, CancellationToken token, ForwarderError phase, Exception e)
    {
        var body = phase == ForwarderError.ResponseBodyDestination;
        ForwarderError error;
        Exception exception = e;
        if (e is DownstreamGoneException || context.RequestAborted.IsCancellationRequested)
        {
            error = body ? ForwarderError.ResponseBodyClient : ForwarderError.RequestBodyClient;
        }
        else if (token.IsCancellationRequested)
        {
            error = body ? ForwarderError.ResponseBodyCanceled : ForwarderError.RequestCanceled;
            exception = new OperationCanceledException(token);
        }
        else if (connection is { IdleTimedOut: true })
        {
            error = ForwarderError.RequestTimedOut;
            exception = new OperationCanceledException("stream idle timeout");
        }
        else
        {
            error = phase;
        }
        context.Features.Set<IForwarderErrorFeature>(new UpstreamErrorFeature(error, exception));
        return error;
    }

    private readonly struct AbortRegistration(CancellationTokenRegistration deadline, CancellationTokenRegistration downstream) : IDisposable
    {
        public void Dispose()
        {
            deadline.Dispose();
            downstream.Dispose();
        }
    }

    private sealed class UpstreamErrorFeature(ForwarderError error, Exception exception) : IForwarderErrorFeature
    {
        public ForwarderError Error => error;

        public Exception? Exception => exception;
    }
}

/// <summary>The downstream stopped taking the response (or sending the request body).</summary>
internal sealed class DownstreamGoneException : IOException
{
    public DownstreamGoneException()
        : base("downstream connection closed")
    {
    }
}
