namespace Legate.Upstream;

/// <summary>
/// Clusters that were replaced or removed: routing no longer finds them, but requests already on their hosts
/// finish before their connection pools and HTTP clients are disposed, a drain time later. Closing the set
/// disposes every cluster still draining at once.
/// </summary>
internal sealed class DrainingClusters(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<UpstreamCluster> _draining = [];
    private readonly CancellationTokenSource _closing = new();
    private bool _closed;

    /// <summary>Disposes <paramref name="cluster"/> after <paramref name="drainTime"/>, or now if the set is closed.</summary>
    public void Add(UpstreamCluster cluster, TimeSpan drainTime)
    {
        CancellationToken closing;
        lock (_gate)
        {
            if (_closed)
            {
                cluster.Dispose();
                return;
            }
            _draining.Add(cluster);
            closing = _closing.Token;
        }
        _ = DisposeAfterDrainAsync(cluster, drainTime, closing);
    }

    /// <summary>Stops every pending drain and hands back the clusters still draining, for the caller to dispose.</summary>
    public List<UpstreamCluster> Close()
    {
        List<UpstreamCluster> remaining;
        lock (_gate)
        {
            _closed = true;
            remaining = [.. _draining];
            _draining.Clear();
        }
        // Cancelled, not disposed: a drain started a moment ago may still be registering on its token.
        _closing.Cancel();
        return remaining;
    }

    private async Task DisposeAfterDrainAsync(UpstreamCluster cluster, TimeSpan drainTime, CancellationToken closing)
    {
        try
        {
            await Task.Delay(drainTime, time, closing).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Close() handed the cluster to its caller.
            return;
        }
        lock (_gate)
        {
            _draining.Remove(cluster);
        }
        cluster.Dispose();
    }
}
