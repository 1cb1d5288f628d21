using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Legate.Listeners;

/// <summary>
/// A downstream connection as the listener sees it: addresses, the filter chain it matched, and the
/// HTTP pipelines of the listener's Kestrel server a connection manager may hand it to.
/// </summary>
public sealed class ListenerConnection
{
    public ListenerConnection(IPEndPoint? remote, IPEndPoint? local, ListenerPipelines pipelines, FilterChain filterChain)
    {
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        Pipelines = pipelines;
        FilterChain = filterChain;
    }

    public IPEndPoint? RemoteEndPoint { get; }

    public IPEndPoint? LocalEndPoint { get; }

    public ListenerPipelines Pipelines { get; }

    public FilterChain FilterChain { get; }

    /// <summary>Transport protocol as Envoy's filter-chain match sees it.</summary>
    public string TransportProtocol => "raw_buffer";
}

/// <summary>Kestrel's HTTP/1.1 and HTTP/2 connection pipelines of one listener.</summary>
public sealed class ListenerPipelines
{
    public ConnectionDelegate? Http1 { get; set; }

    public ConnectionDelegate? Http2 { get; set; }
}
