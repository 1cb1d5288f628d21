using System.Net;
using Envoy.Config.Core.V3;

namespace Legate.Upstream;

/// <summary>
/// One upstream endpoint. A host keeps its identity (and so its stats and pooled connections) across
/// updates that keep its address; weight, health and metadata are refreshed in place before the new
/// priority set is published. A LOGICAL_DNS host keeps its identity while its address swaps.
/// </summary>
public sealed class Host
{
    private volatile HostAddress _address;
    private Http.Http1.Http1ConnectionPool? _http1Pool;
    private volatile bool _poolsClosed;

    internal Host(in HostDescription description)
    {
        _address = new HostAddress(description.EndPoint);
        Hostname = description.Hostname;
        Apply(description);
    }

    /// <summary>"ip:port" ("[v6]:port" for IPv6), as /clusters prints it.</summary>
    public string Address => _address.Text;

    public IPEndPoint? EndPoint => _address.EndPoint;

    /// <summary>"http://ip:port", the destination prefix the forwarder sends to.</summary>
    public string DestinationPrefix => _address.DestinationPrefix;

    public string Hostname { get; private set; }

    public uint Weight { get; private set; }

    public uint Priority { get; private set; }

    public Locality Locality { get; private set; } = new();

    /// <summary>LocalityLbEndpoints.load_balancing_weight, kept for /clusters and locality-weighted LB.</summary>
    public uint? LocalityWeight { get; private set; }

    public HostHealth Health { get; private set; }

    /// <summary>The health_status EDS (or the static load_assignment) reported.</summary>
    public HealthStatus EdsHealthStatus { get; private set; }

    public Metadata? Metadata { get; private set; }

    /// <summary>Envoy's canary flag: metadata filter_metadata["envoy.lb"].canary == true.</summary>
    public bool Canary { get; private set; }

    public HostStats Stats { get; } = new();

    /// <summary>This host's HTTP/1.1 connections for its cluster, created on the first request.</summary>
    internal Http.Http1.Http1ConnectionPool Http1Pool(UpstreamCluster cluster) => Volatile.Read(ref _http1Pool) ?? CreateHttp1Pool(cluster);

    /// <summary>The host left its cluster (or the cluster went): idle connections close now, busy ones after their request.</summary>
    internal void ClosePools()
    {
        _poolsClosed = true;
        Volatile.Read(ref _http1Pool)?.Close();
    }

    private Http.Http1.Http1ConnectionPool CreateHttp1Pool(UpstreamCluster cluster)
    {
        var created = new Http.Http1.Http1ConnectionPool(cluster, this);
        var winner = Interlocked.CompareExchange(ref _http1Pool, created, null) ?? created;
        if (winner != created || _poolsClosed)
        {
            // Lost the race, or a request picked the host just as it left: nothing may stay pooled.
            created.Close();
        }
        return winner;
    }

    /// <summary>/clusters health_flags: "healthy" or the concatenated set flags.</summary>
    public string HealthFlags => Health switch
    {
        HostHealth.Unhealthy => "/failed_eds_health",
        HostHealth.Degraded => "/degraded_eds_health",
        _ => "healthy",
    };

    public override string ToString() => Address;

    internal void Apply(in HostDescription description)
    {
        Hostname = description.Hostname;
        Weight = description.Weight;
        Priority = description.Priority;
        Locality = description.Locality ?? new Locality();
        LocalityWeight = description.LocalityWeight;
        EdsHealthStatus = description.HealthStatus;
        Health = FromEds(description.HealthStatus);
        Metadata = description.Metadata;
        Canary = IsCanary(description.Metadata);
    }

    /// <summary>LOGICAL_DNS: new connections go to the newly resolved address; the host stays the same.</summary>
    internal void SwapAddress(IPEndPoint endPoint)
    {
        if (!endPoint.Equals(_address.EndPoint))
        {
            _address = new HostAddress(endPoint);
        }
    }

    internal static HostHealth FromEds(HealthStatus status) => status switch
    {
        HealthStatus.Unknown or HealthStatus.Healthy => HostHealth.Healthy,
        HealthStatus.Degraded => HostHealth.Degraded,
        _ => HostHealth.Unhealthy,
    };

    private static bool IsCanary(Metadata? metadata)
    {
        if (metadata is null || !metadata.FilterMetadata.TryGetValue("envoy.lb", out var lb))
        {
            return false;
        }
        return lb.Fields.TryGetValue("canary", out var v) && v.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue && v.BoolValue;
    }

    private sealed class HostAddress
    {
        public HostAddress(IPEndPoint endPoint)
        {
            EndPoint = endPoint;
            Text = endPoint.ToString();
            DestinationPrefix = "http://" + Text;
        }

        public IPEndPoint EndPoint { get; }

        public string Text { get; }

        public string DestinationPrefix { get; }
    }
}

/// <summary>What a cluster type or EDS says about one host, before it becomes (or updates) a <see cref="Host"/>.</summary>
internal readonly record struct HostDescription(
    IPEndPoint EndPoint,
    string Hostname,
    uint Weight,
    uint Priority,
    Locality? Locality,
    uint? LocalityWeight,
    HealthStatus HealthStatus,
    Metadata? Metadata,
    string? IdentityKey = null)
{
    /// <summary>What makes two descriptions the same host across updates: the address, or a logical name (LOGICAL_DNS).</summary>
    public string Key => IdentityKey ?? EndPoint.ToString();
}
