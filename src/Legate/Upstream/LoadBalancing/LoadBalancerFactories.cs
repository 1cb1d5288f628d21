using System.Collections.Frozen;
using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.LoadBalancing;

/// <summary>The load balancing policies Legate implements, keyed by Envoy's policy extension names.</summary>
internal static class LoadBalancerFactories
{
    private static readonly FrozenDictionary<string, ILoadBalancerFactory> s_byName = new ILoadBalancerFactory[]
    {
        new RoundRobinFactory(),
        new LeastRequestFactory(),
        new RandomFactory(),
    }.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    // lb_policy enum values and the extension names Envoy maps them to.
    private static readonly FrozenDictionary<Cluster.Types.LbPolicy, string> s_enumNames = new Dictionary<Cluster.Types.LbPolicy, string>
    {
        [Cluster.Types.LbPolicy.RoundRobin] = "envoy.load_balancing_policies.round_robin",
        [Cluster.Types.LbPolicy.LeastRequest] = "envoy.load_balancing_policies.least_request",
        [Cluster.Types.LbPolicy.Random] = "envoy.load_balancing_policies.random",
        [Cluster.Types.LbPolicy.RingHash] = "envoy.load_balancing_policies.ring_hash",
        [Cluster.Types.LbPolicy.Maglev] = "envoy.load_balancing_policies.maglev",
        [Cluster.Types.LbPolicy.ClusterProvided] = "envoy.load_balancing_policies.cluster_provided",
    }.ToFrozenDictionary();

    public static IEnumerable<string> Names => s_byName.Keys;

    public static ILoadBalancerPolicy Create(Cluster config, string path)
    {
        if (config.LoadBalancingPolicy is not null && config.LoadBalancingPolicy.Policies.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "load_balancing_policy"),
                "unsupported load_balancing_policy (use lb_policy ROUND_ROBIN, LEAST_REQUEST or RANDOM)");
        }
        var policy = config.LbPolicy;
        if (s_enumNames.TryGetValue(policy, out var name) && s_byName.TryGetValue(name, out var factory))
        {
            return factory.Create(config, path);
        }
        throw new ConfigException(ConfigPath.Join(path, "lb_policy"), "unsupported lb_policy " + ProtoEnumName.Of(policy));
    }
}
