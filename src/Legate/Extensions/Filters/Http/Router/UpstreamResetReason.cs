using System.Net.Sockets;
using Legate.Http;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Classifies why an upstream request failed before response headers, in Envoy's words: the reset
/// reason, the transport failure detail, the response flag and the local-reply status.
/// </summary>
internal readonly record struct UpstreamResetReason(string Reason, string? TransportFailure, ResponseFlags Flag, int Status)
{
    // HTTP/2 REFUSED_STREAM.
    private const long RefusedStreamErrorCode = 0x7;

    /// <summary>A circuit breaker refused the request.</summary>
    public static readonly UpstreamResetReason Overflow = new("overflow", null, ResponseFlags.UpstreamOverflow, 503);

    public static UpstreamResetReason Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Legate.Upstream.UpstreamOverflowException:
                    return Overflow;
                case SocketException se when se.SocketErrorCode == SocketError.ConnectionRefused:
                    return new("remote connection failure", "delayed connect error: Connection refused", ResponseFlags.UpstreamConnectionFailure, 503);
                case SocketException se when se.SocketErrorCode == SocketError.TimedOut:
                    return new("connection timeout", null, ResponseFlags.UpstreamConnectionFailure, 503);
                case SocketException se when se.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData:
                    return new("remote connection failure", "delayed connect error: " + se.Message, ResponseFlags.UpstreamConnectionFailure, 503);
                case SocketException se when se.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown:
                    return new("connection termination", null, ResponseFlags.UpstreamConnectionTermination, 503);
                case TimeoutException:
                    return new("connection timeout", null, ResponseFlags.UpstreamConnectionFailure, 503);
                case HttpRequestException hre when hre.HttpRequestError == HttpRequestError.ConnectionError && hre.InnerException is null:
                    return new("remote connection failure", null, ResponseFlags.UpstreamConnectionFailure, 503);
                case HttpRequestException hre when hre.HttpRequestError is HttpRequestError.ResponseEnded:
                    return new("connection termination", null, ResponseFlags.UpstreamConnectionTermination, 503);
                case HttpRequestException hre when hre.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError:
                    return new("protocol error", null, ResponseFlags.UpstreamProtocolError, 502);
                case HttpProtocolException hpe when hpe.ErrorCode == RefusedStreamErrorCode:
                    return new("remote refused stream reset", null, ResponseFlags.UpstreamRemoteReset, 503);
                case HttpProtocolException:
                    return new("remote reset", null, ResponseFlags.UpstreamRemoteReset, 503);
            }
        }
        return new("connection termination", null, ResponseFlags.UpstreamConnectionTermination, 503);
    }

    /// <summary>The local reply body Envoy sends for this reset.</summary>
    public string Body => BodyAfter(retried: false);

    /// <summary>The local reply body; after retries Envoy reports the latest attempt's reason.</summary>
    public string BodyAfter(bool retried)
    {
        var prefix = retried
            ? "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: "
            : "upstream connect error or disconnect/reset before headers. reset reason: ";
        return TransportFailure is null ? prefix + Reason : prefix + Reason + ", transport failure reason: " + TransportFailure;
    }

    /// <summary>How the retry conditions see this reset.</summary>
    public UpstreamFailureKind FailureKind => Reason switch
    {
        "remote connection failure" or "local connection failure" or "connection timeout" => UpstreamFailureKind.ConnectFailure,
        "remote refused stream reset" or "local refused stream reset" => UpstreamFailureKind.RefusedStream,
        "overflow" => UpstreamFailureKind.Overflow,
        _ => UpstreamFailureKind.Reset,
    };

    /// <summary>%RESPONSE_CODE_DETAILS% for this reset (spaces become underscores).</summary>
    public string Details => TransportFailure is null
        ? "upstream_reset_before_response_started{" + Reason.Replace(' ', '_') + "}"
        : "upstream_reset_before_response_started{" + Reason.Replace(' ', '_') + "|" + TransportFailure.Replace(' ', '_') + "}";
}
