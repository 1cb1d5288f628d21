using Legate.Upstream.LoadBalancing;

namespace Legate.Upstream;

/// <summary>The hosts of one priority, split by health, with the pickers the load balancer uses for each split.</summary>
public sealed class HostSet
{
    internal HostSet(uint priority, Host[] hosts, uint overprovisioningFactor, ILoadBalancerPolicy policy)
    {
        Priority = priority;
        OverprovisioningFactor = overprovisioningFactor;
        var healthy = new List<Host>(hosts.Length);
        var degraded = new List<Host>();
        var excluded = new List<Host>();
        var available = new List<Host>(hosts.Length);
        foreach (var host in hosts)
        {
            switch (host.Health)
            {
                case HostHealth.Healthy:
                    healthy.Add(host);
                    break;
                case HostHealth.Degraded:
                    degraded.Add(host);
                    break;
                case HostHealth.Excluded:
                    excluded.Add(host);
                    continue;
            }
            available.Add(host);
        }
        var healthyArray = healthy.ToArray();
        var degradedArray = degraded.ToArray();
        Hosts = hosts;
        HealthyHosts = healthyArray;
        DegradedHosts = degradedArray;
        ExcludedHosts = excluded.ToArray();
        HealthyPicker = policy.CreatePicker(healthyArray);
        DegradedPicker = policy.CreatePicker(degradedArray);
        // Panic mode balances over every member that is not excluded, whatever its health.
        PanicPicker = policy.CreatePicker(available.ToArray());
    }

    public uint Priority { get; }

    /// <summary>ClusterLoadAssignment.policy.overprovisioning_factor (percent, default 140).</summary>
    public uint OverprovisioningFactor { get; }

    public IReadOnlyList<Host> Hosts { get; }

    public IReadOnlyList<Host> HealthyHosts { get; }

    public IReadOnlyList<Host> DegradedHosts { get; }

    public IReadOnlyList<Host> ExcludedHosts { get; }

    internal HostPicker HealthyPicker { get; }

    internal HostPicker DegradedPicker { get; }

    internal HostPicker PanicPicker { get; }
}
