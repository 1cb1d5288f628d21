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
        var stats = cluster.Stats;
        EndPoint target = ToEndPoint(context.DnsEndPoint);
        Host? host = null;
        if (target is IPEndPoint ip)
        {
            cluster.PrioritySet.TryGetHost(ip, out host!);
        }

        stats.UpstreamCxTotal.Inc();
        stats.UpstreamCxActive.Inc();
        var version = cluster.Protocol == UpstreamHttpProtocol.UseDownstream ? context.InitialRequestMessage.Version : cluster.Version;
        (version.Major >= 2 ? stats.UpstreamCxHttp2Total : stats.UpstreamCxHttp1Total).Inc();
        if (host is not null)
        {
            Interlocked.Increment(ref host.Stats.CxTotal);
            Interlocked.Increment(ref host.Stats.CxActive);
        }

        var openedAt = time.GetTimestamp();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(cluster.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await socket.ConnectAsync(target, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            socket.Dispose();
            var timedOut = e is OperationCanceledException && timeout.IsCancellationRequested && !ct.IsCancellationRequested;
            if (!ct.IsCancellationRequested)
            {
                stats.UpstreamCxConnectFail.Inc();
                if (host is not null)
                {
                    Interlocked.Increment(ref host.Stats.CxConnectFail);
                }
            }
            if (timedOut)
            {
                stats.UpstreamCxConnectTimeout.Inc();
            }
            stats.UpstreamCxActive.Dec();
            stats.UpstreamCxDestroy.Inc();
            if (host is not null)
            {
                Interlocked.Decrement(ref host.Stats.CxActive);
            }
            if (timedOut)
            {
                // Not an OperationCanceledException: a connect timeout is a connection failure (Envoy's 503 UF),
                // not a cancelled request.
                throw new SocketException((int)SocketError.TimedOut);
            }
            throw;
        }
        stats.UpstreamCxConnectMs.Record(time.GetElapsedTime(openedAt).TotalMilliseconds);
        return new CountedConnectionStream(new NetworkStream(socket, ownsSocket: true), stats, host, time, openedAt);
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
