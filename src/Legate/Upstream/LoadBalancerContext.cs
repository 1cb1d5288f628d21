namespace Legate.Upstream;

/// <summary>
/// What the caller knows about the request when it asks a cluster for a host. Passed by reference,
/// never boxed, so choosing a host allocates nothing.
/// </summary>
public readonly struct LoadBalancerContext
{
    public LoadBalancerContext(ulong? hashKey = null, Version? downstreamProtocol = null)
    {
        HashKey = hashKey;
        DownstreamProtocol = downstreamProtocol;
    }

    /// <summary>Request hash from the route's hash_policy (for hash-based policies); also picks the priority when set.</summary>
    public ulong? HashKey { get; }

    /// <summary>HTTP version of the downstream request (1.1, 2.0), for USE_DOWNSTREAM_PROTOCOL clusters.</summary>
    public Version? DownstreamProtocol { get; }
}
