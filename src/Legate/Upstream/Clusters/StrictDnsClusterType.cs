using System.Net;
using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>STRICT_DNS: every endpoint name is resolved and every returned address becomes a host.</summary>
internal sealed class StrictDnsClusterType : IClusterType
{
    public string Name => "envoy.cluster.strict_dns";

    public IHostDiscovery Create(Cluster config, string path, ClusterTypeContext context)
    {
        var specs = LoadAssignmentParser.Parse(config.LoadAssignment, ConfigPath.Join(path, "load_assignment"));
        return new StrictDnsDiscovery(config, specs, DnsSettings.Parse(config, path), context);
    }
}

internal sealed class StrictDnsDiscovery : DnsDiscovery
{
    private readonly Lock _gate = new();
    private readonly IPAddress[][] _resolved;
    private readonly uint _overprovisioningFactor;
    private readonly bool _weightedPriorityHealth;

    public StrictDnsDiscovery(Cluster config, List<EndpointSpec> targets, DnsSettings settings, ClusterTypeContext context)
        : base(config.Name, targets, settings, context)
    {
        _resolved = new IPAddress[targets.Count][];
        for (var i = 0; i < _resolved.Length; i++)
        {
            _resolved[i] = [];
        }
        _overprovisioningFactor = LoadAssignmentParser.OverprovisioningFactor(config.LoadAssignment);
        _weightedPriorityHealth = LoadAssignmentParser.WeightedPriorityHealth(config.LoadAssignment);
    }

    protected override bool OnResolved(int index, IPAddress[] addresses)
    {
        lock (_gate)
        {
            _resolved[index] = addresses;
            var hosts = new List<HostDescription>();
            for (var t = 0; t < Targets.Count; t++)
            {
                var spec = Targets[t];
                // Envoy names DNS hosts after the name they were resolved from unless the endpoint sets one.
                var named = spec.Hostname.Length > 0 ? spec : spec with { Hostname = spec.Address };
                foreach (var address in _resolved[t])
                {
                    hosts.Add(named.ToHost(address));
                }
            }
            return Sink.SetHosts(hosts, _overprovisioningFactor, _weightedPriorityHealth);
        }
    }
}
