using Legate.Http;
using Legate.Listeners;
using Legate.Listeners.Kestrel;
using Hcm = Legate.Http.HttpConnectionManager;
using Microsoft.AspNetCore.Connections;

namespace Legate.Extensions.Filters.Network.HttpConnectionManager;

/// <summary>
/// The terminal network filter that turns a connection into HTTP: picks the codec (sniffing the h2c
/// preface for AUTO) and runs Kestrel's HTTP pipeline with this connection manager attached.
/// </summary>
internal sealed class HttpConnectionManagerFilter(Hcm connectionManager) : IHttpNetworkFilter
{
    private static readonly TimeSpan s_sniffTimeout = TimeSpan.FromSeconds(15);

    public HttpConnectionManagerSettings Settings => connectionManager.Settings;

    public IRouteConfigProvider Routes => connectionManager.Routes;

    public async Task<bool> OnConnectionAsync(ConnectionContext connection, ListenerConnection listenerConnection)
    {
        bool http2;
        switch (connectionManager.Settings.Codec)
        {
            case CodecKind.Http1:
                http2 = false;
                break;
            case CodecKind.Http2:
                http2 = true;
                break;
            default:
                using (var cts = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
                {
                    cts.CancelAfter(s_sniffTimeout);
                    bool? sniffed;
                    try
                    {
                        sniffed = await ProtocolSniffer.IsHttp2Async(connection.Transport.Input, cts.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return true;
                    }
                    if (sniffed is null)
                    {
                        return true;
                    }
                    http2 = sniffed.Value;
                }
                break;
        }

        var pipeline = http2 ? listenerConnection.Pipelines.Http2 : listenerConnection.Pipelines.Http1;
        if (pipeline is null)
        {
            return true;
        }
        connection.Features.Set(new DownstreamConnection(listenerConnection.RemoteEndPoint, listenerConnection.LocalEndPoint, isTls: false, connectionManager));
        var stats = connectionManager.Stats;
        stats.DownstreamCxTotal.Inc();
        stats.DownstreamCxActive.Inc();
        var (total, active) = http2
            ? (stats.DownstreamCxHttp2Total, stats.DownstreamCxHttp2Active)
            : (stats.DownstreamCxHttp1Total, stats.DownstreamCxHttp1Active);
        total.Inc();
        active.Inc();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await pipeline(connection);
        }
        finally
        {
            active.Dec();
            stats.DownstreamCxActive.Dec();
            stats.DownstreamCxDestroy.Inc();
            stats.DownstreamCxLengthMs.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return true;
    }
}
