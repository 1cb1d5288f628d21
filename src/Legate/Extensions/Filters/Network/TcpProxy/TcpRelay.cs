using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Legate.Http;
using Microsoft.AspNetCore.Connections;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// Moves bytes both ways between a downstream connection (Kestrel's pipes) and its upstream socket,
/// counting them in the tcp_proxy, cluster and stream-info byte totals as they pass.
/// <para>
/// Half-close follows Envoy where Kestrel allows it: a downstream FIN becomes an upstream FIN
/// (shutdown of the send side) and the upstream's answer still flows back until the upstream closes.
/// When the upstream closes first, the downstream connection is closed once the bytes before the FIN
/// are sent: Kestrel's socket transport has no half-close of its own side.
/// </para>
/// </summary>
internal sealed class TcpRelay(ConnectionContext downstream, TcpUpstreamConnection upstream, TcpProxyStats stats, StreamInfo info, TcpProxySession session)
{
    // Room for one upstream receive: a 16 KiB response then takes one receive and one send instead of four each.
    private const int ReceiveSize = 16 * 1024;

    /// <summary>
    /// For upstream_connect_mode ON_DOWNSTREAM_DATA: waits until the downstream has sent something,
    /// consuming nothing. False when it closed without sending a byte.
    /// </summary>
    public static async ValueTask<bool> DownstreamSentDataAsync(ConnectionContext downstream, CancellationToken cancellationToken)
    {
        var input = downstream.Transport.Input;
        try
        {
            var result = await input.ReadAsync(cancellationToken);
            // Examined up to the start only: the relay's first read returns the same bytes at once.
            input.AdvanceTo(result.Buffer.Start);
            return !result.Buffer.IsEmpty;
        }
        // Kestrel's ConnectionAbortedException and ConnectionResetException are among these.
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    public async Task RunAsync()
    {
        var toUpstream = DownstreamToUpstreamAsync();
        var toDownstream = UpstreamToDownstreamAsync();
        if (await Task.WhenAny(toUpstream, toDownstream) == toUpstream && await toUpstream)
        {
            // The downstream half-closed and the upstream got its FIN: the answer may still be coming.
            await toDownstream;
        }
        else
        {
            // One side failed or the upstream closed: the other direction ends with it.
            upstream.Close();
            downstream.Transport.Input.CancelPendingRead();
            await Task.WhenAll(toUpstream, toDownstream);
        }
        // What the upstream sent before it closed still goes out; Kestrel then closes the connection.
        await downstream.Transport.Output.CompleteAsync();
    }

    /// <returns>True when the downstream half-closed and the upstream was told so; false on any other end.</returns>
    private async Task<bool> DownstreamToUpstreamAsync()
    {
        var input = downstream.Transport.Input;
        var socket = upstream.Socket;
        var clusterTx = upstream.Cluster.Stats.UpstreamCxTxBytesTotal;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start);
                    return false;
                }
                if (!buffer.IsEmpty)
                {
                    if (info.FirstUpstreamTxByteTimestamp == 0)
                    {
                        info.FirstUpstreamTxByteTimestamp = Stopwatch.GetTimestamp();
                    }
                    foreach (var segment in buffer)
                    {
                        await socket.SendAsync(segment, SocketFlags.None);
                    }
                    var length = buffer.Length;
                    info.BytesReceived += length;
                    stats.DownstreamCxRxBytesTotal.Add(length);
                    clusterTx.Add(length);
                    session.MarkActivity();
                }
                input.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return true;
                }
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            return false;
        }
    }

    private async Task UpstreamToDownstreamAsync()
    {
        var output = downstream.Transport.Output;
        var socket = upstream.Socket;
        var clusterRx = upstream.Cluster.Stats.UpstreamCxRxBytesTotal;
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(output.GetMemory(ReceiveSize), SocketFlags.None);
                if (received == 0)
                {
                    return;
                }
                var now = Stopwatch.GetTimestamp();
                if (info.FirstUpstreamRxByteTimestamp == 0)
                {
                    info.FirstUpstreamRxByteTimestamp = now;
                    info.FirstDownstreamTxByteTimestamp = now;
                }
                info.LastUpstreamRxByteTimestamp = now;
                output.Advance(received);
                info.BytesSent += received;
                stats.DownstreamCxTxBytesTotal.Add(received);
                clusterRx.Add(received);
                session.MarkActivity();
                var flush = await output.FlushAsync();
                info.LastDownstreamTxByteTimestamp = Stopwatch.GetTimestamp();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
        }
    }

    // Kestrel's ConnectionAbortedException and ConnectionResetException derive from the last two.
    private static bool IsConnectionEnd(Exception e) =>
        e is SocketException or ObjectDisposedException or InvalidOperationException or IOException or OperationCanceledException;
}
