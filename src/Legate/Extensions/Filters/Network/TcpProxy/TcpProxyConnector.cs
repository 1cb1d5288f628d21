using System.Diagnostics;
using System.Net.Sockets;
using Envoy.Config.Core.V3;
using Legate.Extensions.Filters.Http.Router;
using Legate.Http;
using Legate.Upstream;
using Legate.Upstream.Http;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// Opens a tcp_proxy connection's upstream the way Envoy's filter does: per attempt a cluster (drawn
/// again from weighted_clusters), a connection slot, a host; a failed connect is tried again, after the
/// back-off when one is configured, until max_connect_attempts. Every outcome that ends the connection
/// is recorded in the stream info (NC, UO, UH, UF and URX) and the stats.
/// </summary>
internal static class TcpProxyConnector
{
    /// <returns>The connected upstream, or null when the downstream connection is to be closed.</returns>
    public static async ValueTask<TcpUpstreamConnection?> ConnectAsync(TcpProxySettings settings, ClusterManager clusters, StreamInfo info, CancellationToken cancellationToken)
    {
        var backoff = settings.ConnectBackoff is { } interval ? new JitteredBackoff(interval.Base, interval.Max) : null;
        for (var attempt = 1; ; attempt++)
        {
            var cluster = clusters.Get(settings.Clusters.Pick());
            if (cluster is null)
            {
                settings.Stats.DownstreamCxNoRoute.Inc();
                info.AddResponseFlag(ResponseFlags.NoClusterFound);
                return null;
            }
            info.UpstreamClusterName = cluster.Name;
            var slot = cluster.Resources(RoutingPriority.Default).Connections;
            if (!slot.TryAcquire())
            {
                info.AddResponseFlag(ResponseFlags.UpstreamOverflow);
                cluster.Stats.UpstreamCxOverflow.Inc();
                return null;
            }
            var host = cluster.ChooseHost(default);
            if (host?.EndPoint is not { } endPoint)
            {
                slot.Release();
                info.AddResponseFlag(ResponseFlags.NoHealthyUpstream);
                return null;
            }
            info.UpstreamHost = host.Address;
            info.UpstreamRequestAttemptCount = attempt;
            var openedAt = Stopwatch.GetTimestamp();
            try
            {
                var socket = await UpstreamConnector.ConnectAsync(cluster, host, endPoint, null, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                info.UpstreamLocalAddress = socket.LocalEndPoint?.ToString();
                return new TcpUpstreamConnection(socket, cluster, host, slot, openedAt);
            }
            catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
            {
                slot.Release();
                info.AddResponseFlag(ResponseFlags.UpstreamConnectionFailure);
                info.UpstreamTransportFailureReason = UpstreamResetReason.Classify(e).TransportFailure;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The downstream went away, or a timeout closed it, while connecting.
                slot.Release();
                return null;
            }

            if (attempt >= settings.MaxConnectAttempts)
            {
                info.AddResponseFlag(ResponseFlags.UpstreamRetryLimitExceeded);
                cluster.Stats.Scope.Counter("upstream_cx_connect_attempts_exceeded").Inc();
                return null;
            }
            if (backoff is not null)
            {
                try
                {
                    await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
    }
}
