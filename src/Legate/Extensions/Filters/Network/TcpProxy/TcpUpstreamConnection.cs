using System.Diagnostics;
using System.Net.Sockets;
using Legate.Upstream;
using Legate.Upstream.Http;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// A tcp_proxy connection's upstream socket with what it holds: the cluster's connection slot
/// (circuit breaker max_connections) and its place in the cluster and host stats, both given back
/// exactly once when it closes.
/// </summary>
internal sealed class TcpUpstreamConnection
{
    private readonly ResourceLimit _slot;
    private readonly long _openedAt;
    private int _closed;

    public TcpUpstreamConnection(Socket socket, UpstreamCluster cluster, Host host, ResourceLimit slot, long openedAt)
    {
        Socket = socket;
        Cluster = cluster;
        Host = host;
        _slot = slot;
        _openedAt = openedAt;
    }

    public Socket Socket { get; }

    public UpstreamCluster Cluster { get; }

    public Host Host { get; }

    /// <summary>Closes the socket (a pending receive or send then fails) and settles the stats; idempotent.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        Socket.Dispose();
        _slot.Release();
        UpstreamConnector.Closed(Cluster.Stats, Host, Stopwatch.GetElapsedTime(_openedAt));
    }
}
