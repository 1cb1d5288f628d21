using System.Net;

namespace Legate.Http;

/// <summary>
/// What the listener learned about a downstream connection, stored as a connection feature so every
/// request on it can read it (Kestrel request features fall back to connection features).
/// </summary>
public sealed class DownstreamConnection
{
    public DownstreamConnection(IPEndPoint? remote, IPEndPoint? local, bool isTls, HttpConnectionManager connectionManager)
    {
        Id = Legate.Listeners.ConnectionIds.Next();
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        IsTls = isTls;
        ConnectionManager = connectionManager;
    }

    public long Id { get; }

    public IPEndPoint? RemoteEndPoint { get; }

    public IPEndPoint? LocalEndPoint { get; }

    public bool IsTls { get; }

    /// <summary>The connection manager of the filter chain this connection matched.</summary>
    public HttpConnectionManager ConnectionManager { get; }
}
