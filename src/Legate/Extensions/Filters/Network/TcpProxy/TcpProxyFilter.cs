using Legate.Listeners;
using Legate.Upstream;
using Microsoft.AspNetCore.Connections;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// The terminal network filter that relays a downstream connection's bytes to a host of a cluster
/// and back (<c>envoy.filters.network.tcp_proxy</c>); each connection is a <see cref="TcpProxySession"/>.
/// </summary>
internal sealed class TcpProxyFilter(TcpProxySettings settings, ClusterManager clusters) : INetworkFilter
{
    public TcpProxySettings Settings => settings;

    public async Task<bool> OnConnectionAsync(ConnectionContext connection, ListenerConnection listenerConnection)
    {
        await new TcpProxySession(settings, clusters, connection, listenerConnection).RunAsync();
        return true;
    }
}
