using System.Diagnostics;
using System.Net;

namespace Legate.Http;

/// <summary>
/// What happened to one downstream request: timings, addresses, the upstream chosen, response code and
/// flags. Filled in along the request path; read by access loggers, header formatters and stats.
/// Timestamps are <see cref="Stopwatch"/> ticks; 0 means "did not happen".
/// </summary>
public sealed class StreamInfo
{
    private DateTimeOffset? _startTime;

    /// <summary>
    /// When the request began, by the wall clock. Unless set, it is worked out on first read from
    /// <see cref="StartTimestamp"/>, so a request nobody logs reads the wall clock not at all.
    /// </summary>
    public DateTimeOffset StartTime
    {
        get => _startTime ??= StartTimestamp == 0 ? default : DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(StartTimestamp);
        set => _startTime = value;
    }

    public long StartTimestamp { get; set; }

    /// <summary>HTTP/1.0, HTTP/1.1, HTTP/2 (Envoy's spelling) or null for TCP.</summary>
    public string? Protocol { get; set; }

    public long RequestCompleteTimestamp { get; set; }

    public long FirstUpstreamTxByteTimestamp { get; set; }

    public long FirstUpstreamRxByteTimestamp { get; set; }

    public long LastUpstreamRxByteTimestamp { get; set; }

    public long FirstDownstreamTxByteTimestamp { get; set; }

    public long LastDownstreamTxByteTimestamp { get; set; }

    public long CompleteTimestamp { get; set; }

    /// <summary>0 until a response is sent.</summary>
    public int ResponseCode { get; set; }

    public string? ResponseCodeDetails { get; set; }

    public string? ConnectionTerminationDetails { get; set; }

    public ResponseFlags ResponseFlags { get; set; }

    public long BytesReceived { get; set; }

    public long BytesSent { get; set; }

    /// <summary>The address the request is attributed to (may come from x-forwarded-for).</summary>
    public IPEndPoint? DownstreamRemoteAddress { get; set; }

    /// <summary>The peer of the TCP connection.</summary>
    public IPEndPoint? DownstreamDirectRemoteAddress { get; set; }

    public IPEndPoint? DownstreamLocalAddress { get; set; }

    public string? RequestedServerName { get; set; }

    public long ConnectionId { get; set; }

    public string? RouteName { get; set; }

    public string? VirtualClusterName { get; set; }

    /// <summary>Stat name of the upstream cluster (alt_stat_name when set).</summary>
    public string? UpstreamClusterName { get; set; }

    /// <summary>ip:port of the upstream host chosen.</summary>
    public string? UpstreamHost { get; set; }

    public string? UpstreamLocalAddress { get; set; }

    public string? UpstreamTransportFailureReason { get; set; }

    public int UpstreamRequestAttemptCount { get; set; }

    /// <summary>Body of a local reply, for %LOCAL_REPLY_BODY%.</summary>
    public string? LocalReplyBody { get; set; }

    public bool HealthCheck { get; set; }

    public void AddResponseFlag(ResponseFlags flag) => ResponseFlags |= flag;

    /// <summary>Milliseconds between the stream start and <paramref name="timestamp"/>, or null when it did not happen.</summary>
    public long? MillisecondsSinceStart(long timestamp) =>
        timestamp == 0 ? null : (long)Stopwatch.GetElapsedTime(StartTimestamp, timestamp).TotalMilliseconds;

    /// <summary>Clears everything so the instance can serve another stream (streams are pooled).</summary>
    internal void Reset()
    {
        _startTime = null;
        StartTimestamp = default;
        Protocol = default;
        RequestCompleteTimestamp = default;
        FirstUpstreamTxByteTimestamp = default;
        FirstUpstreamRxByteTimestamp = default;
        LastUpstreamRxByteTimestamp = default;
        FirstDownstreamTxByteTimestamp = default;
        LastDownstreamTxByteTimestamp = default;
        CompleteTimestamp = default;
        ResponseCode = default;
        ResponseCodeDetails = default;
        ConnectionTerminationDetails = default;
        ResponseFlags = default;
        BytesReceived = default;
        BytesSent = default;
        DownstreamRemoteAddress = default;
        DownstreamDirectRemoteAddress = default;
        DownstreamLocalAddress = default;
        RequestedServerName = default;
        ConnectionId = default;
        RouteName = default;
        VirtualClusterName = default;
        UpstreamClusterName = default;
        UpstreamHost = default;
        UpstreamLocalAddress = default;
        UpstreamTransportFailureReason = default;
        UpstreamRequestAttemptCount = default;
        LocalReplyBody = default;
        HealthCheck = default;
    }
}
