using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>STATIC: the load_assignment's IP literals are the hosts, ready at once.</summary>
internal sealed class StaticClusterType : IClusterType
{
    public string Name => "envoy.cluster.static";

    public IHostDiscovery Create(Cluster config, string path, ClusterTypeContext context)
    {
        var assignmentPath = ConfigPath.Join(path, "load_assignment");
        var hosts = LoadAssignmentParser.ToIpHosts(LoadAssignmentParser.Parse(config.LoadAssignment, assignmentPath));
        return new FixedHostDiscovery(
            hosts,
            LoadAssignmentParser.OverprovisioningFactor(config.LoadAssignment),
            LoadAssignmentParser.WeightedPriorityHealth(config.LoadAssignment));
    }
}

/// <summary>Delivers one fixed host list when started.</summary>
internal sealed class FixedHostDiscovery(List<HostDescription> hosts, uint overprovisioningFactor, bool weightedPriorityHealth) : IHostDiscovery
{
    public Task Initialized => Task.CompletedTask;

    public bool WaitForWarmOnInit => false;

    public void Start(IHostSink sink) => sink.SetHosts(hosts, overprovisioningFactor, weightedPriorityHealth);

    public void Dispose()
    {
    }
}
