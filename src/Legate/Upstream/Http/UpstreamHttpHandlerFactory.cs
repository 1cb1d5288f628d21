using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Envoy.Config.Core.V3;

namespace Legate.Upstream.Http;

/// <summary>
/// Builds a cluster's SocketsHttpHandler: no proxy, redirects, cookies, decompression or trace headers
/// (the proxy forwards what it gets), pool settings from the cluster's protocol options, and a
/// ConnectCallback that owns connection establishment so connections are counted per cluster and host.
/// </summary>
internal static class UpstreamHttpHandlerFactory
{
    public static SocketsHttpHandler Create(UpstreamCluster cluster, UpstreamProtocolOptions options, TimeProvider time)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            // The connect callback enforces connect_timeout itself, so a timeout can be told apart
            // from a cancelled request and counted as upstream_cx_connect_timeout.
            ConnectTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = options.IdleTimeout,
            PooledConnectionLifetime = options.MaxConnectionDuration ?? Timeout.InfiniteTimeSpan,
            MaxResponseHeadersLength = options.MaxResponseHeadersKb,
            ConnectCallback = (context, ct) => ConnectAsync(cluster, time, context, ct),
        };
        ApplyHttp2(handler, options.Http2Options);
        return handler;
    }

    private static void ApplyHttp2(SocketsHttpHandler handler, Http2ProtocolOptions? http2)
    {
        if (http2 is null)
        {
            return;
        }
        if (http2.InitialStreamWindowSize is uint window)
        {
            handler.InitialHttp2StreamWindowSize = (int)Math.Clamp(window, 65535u, (uint)int.MaxValue);
        }
        var keepalive = http2.ConnectionKeepalive;
        if (keepalive?.Interval is not null && keepalive.Interval.ToTimeSpan() > TimeSpan.Zero)
        {
            handler.KeepAlivePingDelay = keepalive.Interval.ToTimeSpan();
            handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
            if (keepalive.Timeout is not null && keepalive.Timeout.ToTimeSpan() > TimeSpan.Zero)
            {
                handler.KeepAlivePingTimeout = keepalive.Timeout.ToTimeSpan();
            }
        }
    }

    private static async ValueTask<Stream> ConnectAsync(UpstreamCluster cluster, TimeProvider time, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        EndPoint target = ToEndPoint(context.DnsEndPoint);
        Host? host = null;
        if (target is IPEndPoint ip)
        {
            cluster.PrioritySet.TryGetHost(ip, out host!);
        }
        var version = cluster.Protocol == UpstreamHttpProtocol.UseDownstream ? context.InitialRequestMessage.Version : cluster.Version;
        var openedAt = time.GetTimestamp();
        var socket = await UpstreamConnector.ConnectAsync(cluster, host, target, version.Major >= 2 ? cluster.Stats.UpstreamCxHttp2Total : cluster.Stats.UpstreamCxHttp1Total, time, ct).ConfigureAwait(false);
        return new CountedConnectionStream(new NetworkStream(socket, ownsSocket: true), cluster.Stats, host, time, openedAt);
    }

    private static EndPoint ToEndPoint(DnsEndPoint endPoint)
    {
        var hostText = endPoint.Host.AsSpan();
        if (hostText.Length > 2 && hostText[0] == '[' && hostText[^1] == ']')
        {
            hostText = hostText[1..^1];
        }
        return IPAddress.TryParse(hostText, out var address)
            ? new IPEndPoint(address, endPoint.Port)
            : endPoint;
    }
}
