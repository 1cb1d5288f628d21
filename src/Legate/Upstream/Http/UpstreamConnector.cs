using System.Net;
using System.Net.Sockets;
using Legate.Stats;

namespace Legate.Upstream.Http;

/// <summary>
/// Opens upstream TCP connections for the HTTP clients (SocketsHttpHandler and the HTTP/1.1 pool) and
/// tcp_proxy: enforces the cluster's connect_timeout and counts the connection in the cluster and host stats.
/// </summary>
internal static class UpstreamConnector
{
    /// <summary>
    /// A connected socket, counted as active in the stats. A connect timeout surfaces as a SocketException
    /// (TimedOut): it is a connection failure (Envoy's 503 UF), not a cancelled request.
    /// </summary>
    /// <param name="protocolTotal">upstream_cx_http1_total or upstream_cx_http2_total; null for a TCP connection.</param>
    public static async ValueTask<Socket> ConnectAsync(UpstreamCluster cluster, Host? host, EndPoint target, Counter? protocolTotal, TimeProvider time, CancellationToken ct)
    {
        var stats = cluster.Stats;
        stats.UpstreamCxTotal.Inc();
        stats.UpstreamCxActive.Inc();
        protocolTotal?.Inc();
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
                throw new SocketException((int)SocketError.TimedOut);
            }
            throw;
        }
        stats.UpstreamCxConnectMs.Record(time.GetElapsedTime(openedAt).TotalMilliseconds);
        return socket;
    }

    /// <summary>Ends a connection's life in the cluster and host stats (once per connection; the caller guards that).</summary>
    public static void Closed(ClusterStats stats, Host? host, TimeSpan length)
    {
        stats.UpstreamCxActive.Dec();
        stats.UpstreamCxDestroy.Inc();
        stats.UpstreamCxLengthMs.Record(length.TotalMilliseconds);
        if (host is not null)
        {
            Interlocked.Decrement(ref host.Stats.CxActive);
        }
    }
}
