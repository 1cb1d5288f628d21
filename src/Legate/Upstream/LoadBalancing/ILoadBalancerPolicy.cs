namespace Legate.Upstream.LoadBalancing;

/// <summary>A cluster's configured lb_policy; creates one picker per host list of each priority-set snapshot.</summary>
internal interface ILoadBalancerPolicy
{
    /// <summary>Envoy's extension name (envoy.load_balancing_policies.round_robin, ...).</summary>
    string Name { get; }

    HostPicker CreatePicker(Host[] hosts);
}

/// <summary>Reads and validates a policy's settings from the cluster config.</summary>
internal interface ILoadBalancerFactory
{
    string Name { get; }

    /// <summary>Throws ConfigException naming the field under <paramref name="path"/> for bad settings.</summary>
    ILoadBalancerPolicy Create(Envoy.Config.Cluster.V3.Cluster config, string path);
}
