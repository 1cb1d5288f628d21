using Envoy.Config.Cluster.V3;

namespace Legate.Upstream.LoadBalancing;

/// <summary>ROUND_ROBIN: cycles the hosts; unequal weights cycle a precomputed EDF schedule.</summary>
internal sealed class RoundRobinFactory : ILoadBalancerFactory, ILoadBalancerPolicy
{
    public string Name => "envoy.load_balancing_policies.round_robin";

    // slow_start_config is accepted and not applied (new hosts get full weight at once).
    public ILoadBalancerPolicy Create(Cluster config, string path) => this;

    public HostPicker CreatePicker(Host[] hosts)
    {
        if (hosts.Length == 0)
        {
            return EmptyHostPicker.Instance;
        }
        return new RoundRobinPicker(HostWeights.AllEqual(hosts) ? hosts : WeightedSchedule.Build(hosts));
    }
}

internal sealed class RoundRobinPicker : HostPicker
{
    private readonly Host[] _cycle;
    private uint _next;

    public RoundRobinPicker(Host[] cycle)
    {
        _cycle = cycle;
        // Start somewhere random so that clusters rebuilt together do not all begin on the first host.
        _next = (uint)Random.Shared.Next(cycle.Length);
    }

    public override Host? Pick(in LoadBalancerContext context)
    {
        var i = Interlocked.Increment(ref _next) - 1;
        return _cycle[(int)(i % (uint)_cycle.Length)];
    }
}
