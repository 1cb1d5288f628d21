using System.Diagnostics;
using Legate.Formatting;
using Legate.Http;
using Legate.Listeners;
using Legate.Upstream;
using Microsoft.AspNetCore.Connections;

namespace Legate.Extensions.Filters.Network.TcpProxy;

/// <summary>
/// One downstream connection through tcp_proxy, from accept to the access log: the upstream connect
/// (<see cref="TcpProxyConnector"/>), the relay both ways (<see cref="TcpRelay"/>), the idle and
/// max-duration timeouts that close both sides, and the access log entries (at the end, and when
/// configured on connect and periodically).
/// </summary>
internal sealed class TcpProxySession
{
    private const int Running = 0;
    private const int IdleTimedOut = 1;
    private const int DurationReached = 2;
    private const int Finished = 3;

    private readonly TcpProxySettings _settings;
    private readonly ClusterManager _clusters;
    private readonly ConnectionContext _downstream;
    private readonly StreamInfo _info = new();
    // Cancelled by the timeouts only. Kestrel's ConnectionClosed is not linked: it fires when the downstream
    // half-closes, and a half-closed downstream still gets the upstream's answer (Envoy enables half-close).
    private readonly CancellationTokenSource _closing = new();
    private Timer? _idleTimer;
    private TcpUpstreamConnection? _upstream;
    private long _lastActivity;
    private int _state;

    public TcpProxySession(TcpProxySettings settings, ClusterManager clusters, ConnectionContext downstream, ListenerConnection listenerConnection)
    {
        _settings = settings;
        _clusters = clusters;
        _downstream = downstream;
        _info.StartTimestamp = Stopwatch.GetTimestamp();
        _info.DownstreamRemoteAddress = listenerConnection.RemoteEndPoint;
        _info.DownstreamDirectRemoteAddress = listenerConnection.RemoteEndPoint;
        _info.DownstreamLocalAddress = listenerConnection.LocalEndPoint;
        _info.ConnectionId = ConnectionIds.Next();
        _lastActivity = _info.StartTimestamp;
    }

    public async Task RunAsync()
    {
        _settings.Stats.DownstreamCxTotal.Inc();
        // Envoy starts the idle timer with the connection, so a host that never answers the connect is covered too.
        _idleTimer = _settings.IdleTimeout is { } idle ? new Timer(static s => ((TcpProxySession)s!).OnIdleCheck(), this, idle, Timeout.InfiniteTimeSpan) : null;
        var durationTimer = _settings.DurationLimit() is { } limit
            ? new Timer(static s => ((TcpProxySession)s!).OnDurationReached(), this, limit, Timeout.InfiniteTimeSpan) : null;
        var flushTimer = _settings.AccessLogFlushInterval is { } every
            ? new Timer(static s => ((TcpProxySession)s!).Log(), this, every, every) : null;
        try
        {
            if (_settings.ConnectOnDownstreamData && !await TcpRelay.DownstreamSentDataAsync(_downstream, _closing.Token))
            {
                return;
            }
            var upstream = await TcpProxyConnector.ConnectAsync(_settings, _clusters, _info, _closing.Token);
            if (upstream is null)
            {
                return;
            }
            Volatile.Write(ref _upstream, upstream);
            if (_closing.IsCancellationRequested)
            {
                // A timeout closed the session as the connect completed, before it could see this upstream.
                upstream.Close();
                return;
            }
            if (_settings.FlushAccessLogOnConnected)
            {
                Log();
            }
            await new TcpRelay(_downstream, upstream, _settings.Stats, _info, this).RunAsync();
        }
        finally
        {
            Interlocked.CompareExchange(ref _state, Finished, Running);
            _idleTimer?.Dispose();
            durationTimer?.Dispose();
            flushTimer?.Dispose();
            Volatile.Read(ref _upstream)?.Close();
            _info.CompleteTimestamp = Stopwatch.GetTimestamp();
            Log();
        }
    }

    /// <summary>Bytes moved in either direction: the idle timeout starts over.</summary>
    internal void MarkActivity() => Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());

    private void OnIdleCheck()
    {
        // The timer is not re-armed on every read or write: it checks the last activity when it fires.
        var idle = _settings.IdleTimeout!.Value;
        var quiet = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (quiet < idle)
        {
            try
            {
                _idleTimer?.Change(idle - quiet, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
            return;
        }
        if (Claim(IdleTimedOut))
        {
            _settings.Stats.IdleTimeout.Inc();
            CloseBoth("tcp_proxy idle timeout");
        }
    }

    private void OnDurationReached()
    {
        if (Claim(DurationReached))
        {
            // Recorded before the close: the session's end (and its access log line) follows from it.
            _info.AddResponseFlag(ResponseFlags.DurationTimeout);
            _settings.Stats.MaxDownstreamConnectionDuration.Inc();
            CloseBoth("max_downstream_connection_duration reached");
        }
    }

    /// <summary>False once the session ended, or another timeout is closing it.</summary>
    private bool Claim(int reason) => Interlocked.CompareExchange(ref _state, reason, Running) == Running;

    /// <summary>Closes both sides at once, without flushing (Envoy's NoFlush).</summary>
    private void CloseBoth(string reason)
    {
        _closing.Cancel();
        Volatile.Read(ref _upstream)?.Close();
        _downstream.Abort(new ConnectionAbortedException(reason));
    }

    private void Log()
    {
        var loggers = _settings.AccessLoggers;
        if (loggers.Length == 0)
        {
            return;
        }
        var context = new FormatContext(_info, null);
        foreach (var logger in loggers)
        {
            logger.Log(context);
        }
    }
}
