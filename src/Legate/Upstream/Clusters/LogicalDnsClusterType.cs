using System.Globalization;
using System.Net;
using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>
/// LOGICAL_DNS: exactly one endpoint; one logical host whose address becomes the first resolved
/// address on each refresh (new connections go there; the host, its stats and pool keep their identity).
/// </summary>
internal sealed class LogicalDnsClusterType : IClusterType
{
    public string Name => "envoy.cluster.logical_dns";

    public IHostDiscovery Create(Cluster config, string path, ClusterTypeContext context)
    {
        var assignmentPath = ConfigPath.Join(path, "load_assignment");
        var assignment = config.LoadAssignment;
        if (assignment is null || assignment.Endpoints.Count != 1 || assignment.Endpoints[0].LbEndpoints.Count != 1)
        {
            throw new ConfigException(assignmentPath, "LOGICAL_DNS clusters must have a single locality_lb_endpoint and a single lb_endpoint");
        }
        var specs = LoadAssignmentParser.Parse(assignment, assignmentPath);
        return new LogicalDnsDiscovery(config, specs, DnsSettings.Parse(config, path), context);
    }
}

internal sealed class LogicalDnsDiscovery : DnsDiscovery
{
    private readonly uint _overprovisioningFactor;
    private readonly bool _weightedPriorityHealth;
    private readonly string _identity;
    private IPAddress? _current;

    public LogicalDnsDiscovery(Cluster config, List<EndpointSpec> targets, DnsSettings settings, ClusterTypeContext context)
        : base(config.Name, targets, settings, context)
    {
        _overprovisioningFactor = LoadAssignmentParser.OverprovisioningFactor(config.LoadAssignment);
        _weightedPriorityHealth = LoadAssignmentParser.WeightedPriorityHealth(config.LoadAssignment);
        _identity = targets[0].Address + ":" + targets[0].Port.ToString(CultureInfo.InvariantCulture);
    }

    protected override bool OnResolved(int index, IPAddress[] addresses)
    {
        // An empty answer keeps the last address: the logical host never disappears once it exists.
        if (addresses.Length == 0 || addresses[0].Equals(_current))
        {
            return false;
        }
        _current = addresses[0];
        var spec = Targets[0];
        var named = spec.Hostname.Length > 0 ? spec : spec with { Hostname = spec.Address };
        Sink.SetHosts([named.ToHost(addresses[0], _identity)], _overprovisioningFactor, _weightedPriorityHealth);
        return true;
    }
}
