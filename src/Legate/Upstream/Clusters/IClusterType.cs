using Envoy.Config.Cluster.V3;
using Microsoft.Extensions.Logging;

namespace Legate.Upstream.Clusters;

/// <summary>A cluster discovery type (STATIC, STRICT_DNS, ...), registered under Envoy's extension name.</summary>
internal interface IClusterType
{
    /// <summary>envoy.cluster.static, envoy.cluster.strict_dns, ...</summary>
    string Name { get; }

    /// <summary>Validates the cluster's endpoints (ConfigException under <paramref name="path"/>) and returns what will feed its hosts.</summary>
    IHostDiscovery Create(Cluster config, string path, ClusterTypeContext context);
}

/// <summary>Services a cluster type may use.</summary>
internal sealed record ClusterTypeContext(ILogger Logger, TimeProvider Time);

/// <summary>Feeds a cluster's hosts: once (STATIC), on a timer (DNS), or from outside (EDS).</summary>
internal interface IHostDiscovery : IDisposable
{
    /// <summary>Begins discovery; hosts are delivered to <paramref name="sink"/> from now on.</summary>
    void Start(IHostSink sink);

    /// <summary>Completes once the first round of discovery ended (resolved or failed); Envoy's cluster init.</summary>
    Task Initialized { get; }

    /// <summary>Whether server init should wait for <see cref="Initialized"/> (wait_for_warm_on_init).</summary>
    bool WaitForWarmOnInit { get; }
}

/// <summary>The cluster side of discovery: replaces the host list and publishes a new priority set.</summary>
internal interface IHostSink
{
    ClusterStats Stats { get; }

    /// <summary>Returns true when the membership changed (hosts added or removed).</summary>
    bool SetHosts(IReadOnlyList<HostDescription> hosts, uint overprovisioningFactor, bool weightedPriorityHealth);
}
