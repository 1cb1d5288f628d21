using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Legate.Http;

/// <summary>
/// Envoy's local replies: status, <c>text/plain</c> body, gRPC trailers-only mapping for gRPC requests,
/// headers-only for HEAD. Route response header mutations still apply.
/// </summary>
public sealed class LocalReplySender
{
    /// <param name="overloaded">A circuit breaker refused the request: the reply carries <c>x-envoy-overloaded: true</c>.</param>
    /// <param name="requestComplete">False when the reply goes out before the downstream request has ended (<see cref="EarlyResponse"/>).</param>
    public async Task SendAsync(HttpStream stream, int status, string body, ResponseFlags flag, string details, bool overloaded = false,
        bool requestComplete = true)
    {
        var info = stream.Info;
        info.AddResponseFlag(flag);
        info.ResponseCodeDetails = details;
        info.LocalReplyBody = body;
        var response = stream.Context.Response;
        if (response.HasStarted)
        {
            // Too late for a reply: Envoy resets the stream.
            stream.Context.Abort();
            return;
        }
        response.Clear();
        if (!requestComplete)
        {
            EarlyResponse.Mark(stream);
        }
        if (overloaded)
        {
            response.Headers["x-envoy-overloaded"] = "true";
        }
        if (stream.IsGrpc)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = GrpcStatusFor(status);
            if (body.Length > 0)
            {
                response.Headers["grpc-message"] = Uri.EscapeDataString(body);
            }
            info.ResponseCode = StatusCodes.Status200OK;
            stream.ConnectionManager.PrepareResponseHeaders(stream);
            return;
        }
        response.StatusCode = status;
        info.ResponseCode = status;
        stream.ConnectionManager.PrepareResponseHeaders(stream);
        if (body.Length == 0)
        {
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.Headers[HeaderNames.ContentType] = "text/plain";
        response.ContentLength = bytes.Length;
        if (HttpMethods.IsHead(stream.Context.Request.Method))
        {
            return;
        }
        info.BytesSent += bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    /// <summary>Envoy's HTTP status to gRPC status mapping for local replies.</summary>
    public static string GrpcStatusFor(int httpStatus) => httpStatus switch
    {
        400 => "13",
        401 => "16",
        403 => "7",
        404 => "12",
        429 => "14",
        502 or 503 or 504 => "14",
        _ => "2",
    };
}
