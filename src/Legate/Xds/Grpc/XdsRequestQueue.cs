using System.Threading.Channels;

namespace Legate.Xds.Grpc;

/// <summary>
/// Which resource types need a request written on an xDS stream, each queued at most once. While a response is
/// being dispatched, requests asked for by its callbacks (EDS names added by a CDS update) are held back until
/// the response's own ACK or NACK is queued, so the ACK goes first. Not thread-safe: every member except the
/// writer's reads runs under the mux's lock.
/// </summary>
internal sealed class XdsRequestQueue
{
    private readonly List<string> _deferred = [];
    private Outgoing? _stream;
    private int _dispatching;

    /// <summary>
    /// Starts the queue of a new stream with a request for each of <paramref name="typeUrls"/>, in order; requests
    /// asked for while no stream is open are dropped (the next stream re-sends every subscription).
    /// </summary>
    public Outgoing Open(IEnumerable<string> typeUrls)
    {
        _stream = new Outgoing();
        foreach (var typeUrl in typeUrls)
        {
            Enqueue(typeUrl);
        }
        return _stream;
    }

    /// <summary>Ends <paramref name="stream"/>'s queue; its writer finishes what it had read.</summary>
    public void Close(Outgoing stream)
    {
        if (ReferenceEquals(_stream, stream))
        {
            _stream = null;
        }
        stream.Queue.Writer.TryComplete();
    }

    /// <summary>Asks for a request of this type on the current stream, or after the response being dispatched.</summary>
    public void Request(string typeUrl)
    {
        if (_dispatching > 0)
        {
            if (!_deferred.Contains(typeUrl))
            {
                _deferred.Add(typeUrl);
            }
            return;
        }
        Enqueue(typeUrl);
    }

    public void BeginDispatch() => _dispatching++;

    /// <summary>Queues the dispatched response's ACK or NACK (if any), then what its callbacks asked for.</summary>
    public void EndDispatch(string? ack)
    {
        if (ack is not null)
        {
            Enqueue(ack);
        }
        if (--_dispatching == 0)
        {
            foreach (var typeUrl in _deferred)
            {
                Enqueue(typeUrl);
            }
            _deferred.Clear();
        }
    }

    private void Enqueue(string typeUrl)
    {
        var stream = _stream;
        if (stream is not null && stream.Pending.Add(typeUrl))
        {
            stream.Queue.Writer.TryWrite(typeUrl);
        }
    }

    /// <summary>The write side of one stream: type URLs that need a request.</summary>
    internal sealed class Outgoing
    {
        public Channel<string> Queue { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

        /// <summary>Queued and not yet taken by the writer; guarded by the mux's lock.</summary>
        public HashSet<string> Pending { get; } = new(StringComparer.Ordinal);
    }
}
