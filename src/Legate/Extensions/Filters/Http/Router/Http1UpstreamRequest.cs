using System.Diagnostics;
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
    /// <summary>Whether this request can take the HTTP/1.1 path (the rest go through YARP's forwarder).</summary>
    public static bool CanForward(HttpStream stream, UpstreamCluster cluster) =>
        stream.UpgradeType is null && !stream.IsGrpc
        && (cluster.Protocol == UpstreamHttpProtocol.Http1
            || (cluster.Protocol == UpstreamHttpProtocol.UseDownstream && !Legate.Http.HttpProtocol.IsHttp2(stream.Context.Request.Protocol)))
        && !HttpMethods.IsConnect(stream.Context.Request.Method);

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ForwarderError> SendAsync(HttpStream stream, UpstreamCluster cluster, Host host, ResourceManager resources, TimeSpan idle,
        bool suppressEnvoyHeaders, RetryState? retry, PerTryTimer perTry, CancellationToken token)
    {
        var context = stream.Context;
        var request = context.Request;
        var framing = FramingOf(context, out var contentLength);
        var headLength = WriteHead(stream, request, framing, contentLength, retry);
        var head = stream.UpstreamHeadBuffer;
        var pool = host.Http1Pool(cluster);
        Http1Connection? connection = null;
        var registration = default(AbortRegistration);
        CancellationTokenSource? bodyCancel = null;
        var reusable = false;
        var phase = ForwarderError.Request;
        try
        {
            // The router stamped the attempt's start just now: one clock read serves the pool, the connection and
            // the stream info (reading the clock is a measurable share of a proxied request).
            var now = stream.UpstreamRequestStartTimestamp;
            var (conn, reused) = await pool.AcquireAsync(now, resources, token, context.RequestAborted);
            connection = conn;
            if (framing == Http1BodyFraming.None)
            {
                // The pool is ready and the request complete: the per-try timeout runs from here.
                perTry.Start();
            }
            Task? body = null;
            while (true)
            {
                connection.RequestCount++;
                connection.StreamIdleTicks = (long)(idle.TotalSeconds * Stopwatch.Frequency);
                connection.LastActivity = now;
                stream.Info.FirstUpstreamTxByteTimestamp = now;
                registration = Abortable(connection, token, context);
                try
                {
                    await connection.SendAsync(head.AsMemory(0, headLength));
                    body = framing == Http1BodyFraming.None ? null : Http1RequestBody.SendAsync(connection, request.Body, framing, stream.Info, perTry, (bodyCancel ??= new()).Token);
                    // The head is awaited here, straight on the socket: this is where almost every request
                    // suspends, and each async method in between would be one more frame to box and resume.
                    while (!TryReadHead(connection))
                    {
                        if (connection.Filled(await connection.ReceiveMoreAsync()) == 0)
                        {
                            throw new HttpRequestException(HttpRequestError.ResponseEnded, "upstream closed the connection before response headers");
                        }
                    }
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
                    (connection, reused) = await pool.ConnectAsync(resources, token, context.RequestAborted);
                    now = Stopwatch.GetTimestamp();
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
            if (body is { IsCompleted: false })
            {
                // The upstream answered before the whole request body reached it.
                EarlyResponse.Mark(stream);
            }
            StartResponse(stream, connection, response, hasBody, suppressEnvoyHeaders);
            var complete = !hasBody || await Http1ResponseBody.CopyAsync(connection, response, context.Response.BodyWriter, stream.Info);
            reusable = complete && !response.ConnectionClose;
            if (body is not null)
            {
                if (!body.IsCompleted)
                {
                    // The upstream answered before taking the whole request body: the connection cannot be reused,
                    // and the rest of the body is not waited for (the downstream may never send it). As in Envoy the
                    // response goes out now; an HTTP/1 downstream is closed after it (EarlyResponse).
                    reusable = false;
                    connection.Close();
                    bodyCancel!.Cancel();
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
            bodyCancel?.Dispose();
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

    private static int WriteHead(HttpStream stream, HttpRequest request, Http1BodyFraming framing, long contentLength, RetryState? retry)
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
        var buffer = stream.UpstreamHeadBuffer;
        var length = Http1RequestHead.Write(ref buffer, request.Method, stream.Path, authority, request.Headers, framing, contentLength, attemptCount, timeoutRetry);
        stream.UpstreamHeadBuffer = buffer;
        return length;
    }

    /// <summary>
    /// Parses what is buffered: true once a final (non-1xx) response head is in the connection's
    /// <see cref="Http1Connection.Response"/>; false when more bytes are needed.
    /// </summary>
    private static bool TryReadHead(Http1Connection connection)
    {
        var response = connection.Response;
        while (connection.Buffered > 0 && response.TryParse(connection.Buffer.AsSpan(connection.Start, connection.Buffered), out var consumed))
        {
            connection.Start += consumed;
            if (response.Status >= 200)
            {
                return true;
            }
            if (response.Status == 101)
            {
                throw Http1ResponseHead.Invalid("101 Switching Protocols without an upgrade request");
            }
            // 100 Continue, 102, 103: informational, the final response follows.
        }
        return false;
    }

    private static bool PassResponse(HttpStream stream, RetryState retry, Http1ResponseHead response)
    {
        var rateLimited = false;
        string? grpcStatus = null;
        foreach (var header in response.Headers)
        {
            if (header.Key == "x-envoy-ratelimited")
            {
                rateLimited = true;
            }
            else if (header.Key == "grpc-status")
            {
                grpcStatus = header.Value;
            }
        }
        return RouterTransformer.PassResponse(stream, retry, retry.ShouldRetryResponse(response.Status, rateLimited, grpcStatus), response.Status);
    }

    private static void StartResponse(HttpStream stream, Http1Connection connection, Http1ResponseHead response, bool hasBody, bool suppressEnvoyHeaders)
    {
        var downstream = stream.Context.Response;
        downstream.StatusCode = response.Status;
        var headers = downstream.Headers;
        foreach (var header in response.Headers)
        {
            // Most names come once: one lookup to add; Append (a read and a write) only for repeats.
            if (!headers.TryAdd(header.Key, header.Value))
            {
                headers.Append(header.Key, header.Value);
            }
        }
        // The connection's last activity is when the head's bytes arrived: the first upstream byte received.
        RouterTransformer.OnUpstreamHeaders(stream, response.Status, hasBody ? response.ContentLength : null, suppressEnvoyHeaders, connection.LastActivity);
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
