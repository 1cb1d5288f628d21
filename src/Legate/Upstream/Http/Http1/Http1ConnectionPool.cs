using System.Diagnostics;

namespace Legate.Upstream.Http.Http1;

/// <summary>
/// A host's HTTP/1.1 connections in one cluster: one request per connection at a time, idle ones kept
/// most-recently-used first (warm sockets, and the tail ages out). Enforces the cluster's
/// max_requests_per_connection, common_http_protocol_options idle_timeout and max_connection_duration,
/// and the circuit breakers max_connections (also per host) and max_pending_requests: at max_connections
/// a request waits for a connection another request releases.
/// </summary>
internal sealed class Http1ConnectionPool
{
    private static readonly long s_probeAfterTicks = Stopwatch.Frequency;

    private readonly Lock _gate = new();
    private readonly Stack<Http1Connection> _idle = new();
    private readonly List<Http1Connection> _all = [];
    private readonly Queue<Http1ConnectionWaiter> _waiters = new();
    private readonly UpstreamCluster _cluster;
    private readonly Host _host;
    private readonly long _idleTimeoutTicks;
    private readonly long _maxDurationTicks;
    private readonly int _maxRequests;
    private bool _closed;
    private int _connecting;

    public Http1ConnectionPool(UpstreamCluster cluster, Host host)
    {
        _cluster = cluster;
        _host = host;
        var options = cluster.ProtocolOptions;
        _idleTimeoutTicks = ToTicks(options.IdleTimeout);
        _maxDurationTicks = options.MaxConnectionDuration is { } d ? ToTicks(d) : 0;
        _maxRequests = options.MaxRequestsPerConnection is { } max and > 0 ? (int)Math.Min(max, int.MaxValue) : int.MaxValue;
        Http1ConnectionSweeper.Register(this);
    }

    /// <summary>An idle connection that is still good, or a new one; <c>Reused</c> says which.</summary>
    /// <param name="now">The caller's current Stopwatch timestamp.</param>
    /// <param name="resources">The circuit breakers of the request's priority (max_pending_requests, max_connections).</param>
    public ValueTask<(Http1Connection Connection, bool Reused)> AcquireAsync(long now, ResourceManager resources, CancellationToken cancellationToken, CancellationToken downstreamGone = default)
    {
        while (true)
        {
            Http1Connection? idle;
            lock (_gate)
            {
                _idle.TryPop(out idle);
            }
            if (idle is null)
            {
                break;
            }
            if (Usable(idle, now))
            {
                return ValueTask.FromResult((idle, true));
            }
        }
        return ConnectAsync(resources, cancellationToken, downstreamGone);
    }

    /// <summary>
    /// A connection for a request that found none idle (or whose pooled one was stale): a new one, or at
    /// max_connections one that a finishing request hands over. Meanwhile the request is pending, as in
    /// Envoy's pools; past max_pending_requests it is refused with <see cref="UpstreamOverflowException"/>.
    /// </summary>
    public async ValueTask<(Http1Connection Connection, bool Reused)> ConnectAsync(ResourceManager resources, CancellationToken cancellationToken, CancellationToken downstreamGone = default)
    {
        var stats = _cluster.Stats;
        if (!resources.PendingRequests.TryAcquire())
        {
            throw new UpstreamOverflowException("max_pending_requests reached");
        }
        stats.UpstreamRqPendingTotal.Inc();
        stats.UpstreamRqPendingActive.Inc();
        try
        {
            while (true)
            {
                var (reserved, idle, waiter) = ReserveOrWait(resources);
                if (reserved)
                {
                    return (await OpenAsync(resources.Connections, cancellationToken).ConfigureAwait(false), false);
                }
                if (idle is not null)
                {
                    if (Usable(idle, Stopwatch.GetTimestamp()))
                    {
                        return (idle, true);
                    }
                    continue;
                }
                stats.UpstreamCxOverflow.Inc();
                var handed = await waiter!.WaitAsync(this, cancellationToken, downstreamGone).ConfigureAwait(false);
                if (handed is not null)
                {
                    return (handed, true);
                }
                // A connection of this pool closed: its slot may be free now.
            }
        }
        finally
        {
            resources.PendingRequests.Release();
            stats.UpstreamRqPendingActive.Dec();
        }
    }

    /// <summary>
    /// Under the pool's lock, so a connection released or closed meanwhile cannot be missed: a connection
    /// slot, else an idle connection that came back, else a place in the queue of waiting requests.
    /// </summary>
    private (bool Reserved, Http1Connection? Idle, Http1ConnectionWaiter? Waiter) ReserveOrWait(ResourceManager resources)
    {
        var connections = resources.Connections;
        lock (_gate)
        {
            if (_all.Count + _connecting < resources.MaxConnectionsPerHost && connections.TryAcquire())
            {
                _connecting++;
                return (true, null, null);
            }
            if (_all.Count == 0 && _connecting == 0)
            {
                // As Envoy does: a host with no connection at all may open one past max_connections, or its
                // requests would wait for a connection that never comes.
                connections.Acquire();
                _connecting++;
                return (true, null, null);
            }
            if (_idle.TryPop(out var idle))
            {
                return (false, idle, null);
            }
            var waiter = new Http1ConnectionWaiter();
            _waiters.Enqueue(waiter);
            return (false, null, waiter);
        }
    }

    private async ValueTask<Http1Connection> OpenAsync(ResourceLimit connections, CancellationToken cancellationToken)
    {
        Http1Connection? connection = null;
        try
        {
            var endPoint = _host.EndPoint ?? throw new InvalidOperationException("host " + _host.Address + " has no address");
            var openedAt = Stopwatch.GetTimestamp();
            var socket = await UpstreamConnector.ConnectAsync(_cluster, _host, endPoint, _cluster.Stats.UpstreamCxHttp1Total, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            connection = new Http1Connection(socket, _cluster.Stats, _host, openedAt, _cluster.ProtocolOptions.MaxResponseHeadersKb * 1024) { Slot = connections };
            return connection;
        }
        finally
        {
            lock (_gate)
            {
                _connecting--;
                // A pool closed while connecting (host removed, cluster gone) still lets this request use it; the
                // sweeper then never sees it and Release discards it.
                if (connection is not null && !_closed)
                {
                    _all.Add(connection);
                }
            }
            if (connection is null)
            {
                connections.Release();
                WakeOne(null);
            }
        }
    }

    /// <summary>An idle connection may carry the next request; a stale or expired one is discarded.</summary>
    private bool Usable(Http1Connection idle, long now)
    {
        // Probing the socket costs a system call; a connection used within the last second is taken on
        // trust (a stale one fails fast and bodiless requests are retried on a fresh connection).
        if (Expired(idle, now) || (now - idle.LastActivity > s_probeAfterTicks && !idle.IsReusable()) || idle.IsClosed)
        {
            Discard(idle);
            return false;
        }
        return true;
    }

    /// <summary>Takes a connection back after a request; one that cannot carry another request is closed.</summary>
    public void Release(Http1Connection connection, bool reusable)
    {
        connection.StreamIdleTicks = 0;
        // The last byte moved on it was just now: no clock read needed for the duration check.
        var now = connection.LastActivity;
        // Bytes beyond the response are a protocol error: reusing the connection would hand them to the next
        // request as its response.
        if (!reusable || connection.IsClosed || connection.Buffered != 0)
        {
            Discard(connection);
            return;
        }
        if (connection.RequestCount >= _maxRequests)
        {
            _cluster.Stats.Scope.Counter("upstream_cx_max_requests").Inc();
            Discard(connection);
            return;
        }
        if (Expired(connection, now))
        {
            Discard(connection);
            return;
        }
        lock (_gate)
        {
            if (!_closed)
            {
                // A request waiting at max_connections takes it straight away.
                if (!HandToWaiter(connection))
                {
                    _idle.Push(connection);
                }
                return;
            }
        }
        Discard(connection);
    }

    public void Discard(Http1Connection connection)
    {
        connection.Close();
        lock (_gate)
        {
            _all.Remove(connection);
        }
        WakeOne(null);
    }

    /// <summary>Removes a waiter that gave up (deadline or downstream gone).</summary>
    internal void Forget(Http1ConnectionWaiter waiter)
    {
        lock (_gate)
        {
            if (_waiters.Count > 0 && _waiters.Contains(waiter))
            {
                var kept = _waiters.ToArray();
                _waiters.Clear();
                foreach (var w in kept)
                {
                    if (w != waiter)
                    {
                        _waiters.Enqueue(w);
                    }
                }
            }
        }
    }

    // A connection slot came free: the first live waiter tries to take it (or an idle connection) again.
    private void WakeOne(Http1Connection? connection)
    {
        lock (_gate)
        {
            HandToWaiter(connection);
        }
    }

    /// <summary>Under the lock: the first waiter that has not given up gets <paramref name="connection"/> (null: a free slot).</summary>
    private bool HandToWaiter(Http1Connection? connection)
    {
        while (_waiters.TryDequeue(out var waiter))
        {
            if (waiter.TryHand(connection))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Closes idle connections now and every busy one when its request ends (host removed, cluster removed).</summary>
    public void Close()
    {
        Http1Connection[] idle;
        lock (_gate)
        {
            _closed = true;
            idle = _idle.ToArray();
            _idle.Clear();
        }
        foreach (var connection in idle)
        {
            Discard(connection);
        }
        Http1ConnectionSweeper.Unregister(this);
    }

    /// <summary>The sweeper's pass: aborts busy connections whose stream went idle too long and closes idle ones past idle_timeout.</summary>
    internal void Sweep(long now, List<Http1Connection> scratch)
    {
        scratch.Clear();
        lock (_gate)
        {
            foreach (var connection in _all)
            {
                if (connection.StreamIdleTicks > 0 && now - connection.LastActivity > connection.StreamIdleTicks)
                {
                    connection.IdleTimedOut = true;
                    scratch.Add(connection);
                }
            }
            if (_idle.Count > 0 && (_idleTimeoutTicks > 0 || _maxDurationTicks > 0))
            {
                foreach (var connection in _idle)
                {
                    if (Expired(connection, now))
                    {
                        scratch.Add(connection);
                    }
                }
                if (scratch.Count > 0)
                {
                    RemoveIdle(scratch);
                }
            }
        }
        foreach (var connection in scratch)
        {
            // A busy connection is only closed here; its request sees the failure and releases it.
            if (connection.StreamIdleTicks > 0)
            {
                connection.Close();
            }
            else
            {
                Discard(connection);
            }
        }
    }

    private void RemoveIdle(List<Http1Connection> expired)
    {
        var kept = _idle.ToArray();
        _idle.Clear();
        for (var i = kept.Length - 1; i >= 0; i--)
        {
            if (!expired.Contains(kept[i]))
            {
                _idle.Push(kept[i]);
            }
        }
    }

    /// <summary>Past idle_timeout or max_connection_duration; counts the reason as Envoy does.</summary>
    private bool Expired(Http1Connection connection, long now)
    {
        if (_idleTimeoutTicks > 0 && now - connection.LastActivity > _idleTimeoutTicks)
        {
            _cluster.Stats.Scope.Counter("upstream_cx_idle_timeout").Inc();
            return true;
        }
        if (_maxDurationTicks > 0 && now - connection.OpenedAt > _maxDurationTicks)
        {
            _cluster.Stats.Scope.Counter("upstream_cx_max_duration_reached").Inc();
            return true;
        }
        return false;
    }

    private static long ToTicks(TimeSpan span) =>
        span <= TimeSpan.Zero || span == Timeout.InfiniteTimeSpan ? 0 : (long)(span.TotalSeconds * Stopwatch.Frequency);
}
