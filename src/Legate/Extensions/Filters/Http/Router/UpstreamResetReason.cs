using System.Net.Sockets;
using Legate.Http;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// Classifies why an upstream request failed before response headers, in Envoy's words: the reset
/// reason, the transport failure detail, the response flag and the local-reply status.
/// </summary>
internal readonly record struct UpstreamResetReason(string Reason, string? TransportFailure, ResponseFlags Flag, int Status)
{
    public static UpstreamResetReason Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
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
                case HttpProtocolException:
                    return new("remote reset", null, ResponseFlags.UpstreamRemoteReset, 503);
            }
        }
        return new("connection termination", null, ResponseFlags.UpstreamConnectionTermination, 503);
    }

    /// <summary>The local reply body Envoy sends for this reset.</summary>
    public string Body => TransportFailure is null
        ? "upstream connect error or disconnect/reset before headers. reset reason: " + Reason
        : "upstream connect error or disconnect/reset before headers. reset reason: " + Reason + ", transport failure reason: " + TransportFailure;

    /// <summary>%RESPONSE_CODE_DETAILS% for this reset (spaces become underscores).</summary>
    public string Details => TransportFailure is null
        ? "upstream_reset_before_response_started{" + Reason.Replace(' ', '_') + "}"
        : "upstream_reset_before_response_started{" + Reason.Replace(' ', '_') + "|" + TransportFailure.Replace(' ', '_') + "}";
}
