using Envoy.Config.Cluster.V3;

namespace Legate.Upstream.LoadBalancing;

/// <summary>RANDOM: a uniformly random host, or random in proportion to weight when weights differ.</summary>
internal sealed class RandomFactory : ILoadBalancerFactory, ILoadBalancerPolicy
{
    public string Name => "envoy.load_balancing_policies.random";

    public ILoadBalancerPolicy Create(Cluster config, string path) => this;

    public HostPicker CreatePicker(Host[] hosts)
    {
        if (hosts.Length == 0)
        {
            return EmptyHostPicker.Instance;
        }
        return HostWeights.AllEqual(hosts) ? new UniformRandomPicker(hosts) : new WeightedRandomPicker(hosts);
    }
}

internal sealed class UniformRandomPicker(Host[] hosts) : HostPicker
{
    public override Host? Pick(in LoadBalancerContext context) => hosts[Random.Shared.Next(hosts.Length)];
}

internal sealed class WeightedRandomPicker : HostPicker
{
    private readonly Host[] _hosts;

    // _cumulative[i] = sum of weights of hosts 0..i; a uniform draw below the total is looked up by binary search.
    private readonly long[] _cumulative;

    public WeightedRandomPicker(Host[] hosts)
    {
        _hosts = hosts;
        _cumulative = new long[hosts.Length];
        long total = 0;
        for (var i = 0; i < hosts.Length; i++)
        {
            total += Math.Max(1u, hosts[i].Weight);
            _cumulative[i] = total;
        }
    }

    public override Host? Pick(in LoadBalancerContext context)
    {
        var draw = Random.Shared.NextInt64(_cumulative[^1]);
        var lo = 0;
        var hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_cumulative[mid] > draw)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return _hosts[lo];
    }
}
