using System.Net;
using Envoy.Config.Endpoint.V3;
using Legate.Config;

namespace Legate.Upstream.Clusters;

/// <summary>Reads and validates a ClusterLoadAssignment (inline load_assignment or an EDS resource).</summary>
internal static class LoadAssignmentParser
{
    public const uint DefaultOverprovisioningFactor = 140;

    /// <summary>Envoy caps priorities at 128.</summary>
    public const uint MaxPriority = 128;

    public static uint OverprovisioningFactor(ClusterLoadAssignment? assignment) =>
        assignment?.Policy?.OverprovisioningFactor ?? DefaultOverprovisioningFactor;

    public static bool WeightedPriorityHealth(ClusterLoadAssignment? assignment) => assignment?.Policy?.WeightedPriorityHealth ?? false;

    /// <summary>All endpoints in order; <paramref name="path"/> is the path of the assignment itself.</summary>
    public static List<EndpointSpec> Parse(ClusterLoadAssignment? assignment, string path)
    {
        var specs = new List<EndpointSpec>();
        if (assignment is null)
        {
            return specs;
        }
        if (assignment.Policy?.OverprovisioningFactor is 0u)
        {
            throw new ConfigException(ConfigPath.Join(path, "policy.overprovisioning_factor"), "value must be greater than 0");
        }
        for (var i = 0; i < assignment.Endpoints.Count; i++)
        {
            var locality = assignment.Endpoints[i];
            var localityPath = ConfigPath.Index(ConfigPath.Join(path, "endpoints"), i);
            if (locality.Priority > MaxPriority)
            {
                throw new ConfigException(ConfigPath.Join(localityPath, "priority"), "value must be less than or equal to 128");
            }
            if (locality.LoadBalancingWeight is 0u)
            {
                throw new ConfigException(ConfigPath.Join(localityPath, "load_balancing_weight"), "value must be greater than or equal to 1");
            }
            if (locality.LbConfigCase == LocalityLbEndpoints.LbConfigOneofCase.LedsClusterLocalityConfig)
            {
                throw new ConfigException(ConfigPath.Join(localityPath, "leds_cluster_locality_config"), "LEDS is not supported");
            }
            AddEndpoints(specs, locality, locality.LbEndpoints, ConfigPath.Join(localityPath, "lb_endpoints"));
            if (locality.LbConfigCase == LocalityLbEndpoints.LbConfigOneofCase.LoadBalancerEndpoints)
            {
                // Deprecated in the API but still valid config.
#pragma warning disable CS0612
                var list = locality.LoadBalancerEndpoints.LbEndpoints;
#pragma warning restore CS0612
                AddEndpoints(specs, locality, list, ConfigPath.Join(localityPath, "load_balancer_endpoints.lb_endpoints"));
            }
        }
        return specs;
    }

    /// <summary>STATIC and EDS hosts: every address must be an IP literal.</summary>
    public static List<HostDescription> ToIpHosts(List<EndpointSpec> specs)
    {
        var hosts = new List<HostDescription>(specs.Count);
        foreach (var spec in specs)
        {
            if (!TryParseIp(spec.Address, out var ip))
            {
                throw new ConfigException(spec.AddressPath, "malformed IP address: " + spec.Address
                    + " (use a STRICT_DNS or LOGICAL_DNS cluster for hostnames)");
            }
            hosts.Add(spec.ToHost(ip));
        }
        return hosts;
    }

    public static bool TryParseIp(string text, out IPAddress address)
    {
        var span = text.AsSpan();
        if (span.Length > 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }
        return IPAddress.TryParse(span, out address!);
    }

    private static void AddEndpoints(List<EndpointSpec> specs, LocalityLbEndpoints locality, IList<LbEndpoint> endpoints, string listPath)
    {
        for (var j = 0; j < endpoints.Count; j++)
        {
            var lbEndpoint = endpoints[j];
            var endpointPath = ConfigPath.Index(listPath, j);
            if (lbEndpoint.HostIdentifierCase != LbEndpoint.HostIdentifierOneofCase.Endpoint)
            {
                var which = lbEndpoint.HostIdentifierCase == LbEndpoint.HostIdentifierOneofCase.EndpointName ? "endpoint_name" : "endpoint";
                throw new ConfigException(ConfigPath.Join(endpointPath, which), which == "endpoint"
                    ? "an lb_endpoint needs an endpoint"
                    : "named endpoints are not supported");
            }
            if (lbEndpoint.LoadBalancingWeight is 0u)
            {
                throw new ConfigException(ConfigPath.Join(endpointPath, "load_balancing_weight"), "value must be greater than or equal to 1");
            }
            var endpoint = lbEndpoint.Endpoint;
            var addressPath = ConfigPath.Join(endpointPath, "endpoint.address");
            var address = endpoint.Address;
            if (address is null || address.AddressCase == Envoy.Config.Core.V3.Address.AddressOneofCase.None)
            {
                throw new ConfigException(addressPath, "an endpoint needs an address");
            }
            if (address.AddressCase != Envoy.Config.Core.V3.Address.AddressOneofCase.SocketAddress)
            {
                throw new ConfigException(addressPath, "only socket_address endpoints are supported upstream");
            }
            var socket = address.SocketAddress;
            var socketPath = ConfigPath.Join(addressPath, "socket_address");
            if (string.IsNullOrEmpty(socket.Address))
            {
                throw new ConfigException(ConfigPath.Join(socketPath, "address"), "value length must be at least 1 characters");
            }
            if (socket.PortSpecifierCase == Envoy.Config.Core.V3.SocketAddress.PortSpecifierOneofCase.NamedPort)
            {
                throw new ConfigException(ConfigPath.Join(socketPath, "named_port"), "named ports are not supported");
            }
            if (socket.PortValue > 65535)
            {
                throw new ConfigException(ConfigPath.Join(socketPath, "port_value"), "value must be less than or equal to 65535");
            }
            if (socket.Protocol != Envoy.Config.Core.V3.SocketAddress.Types.Protocol.Tcp)
            {
                throw new ConfigException(ConfigPath.Join(socketPath, "protocol"), "only TCP endpoints are supported for HTTP clusters");
            }
            specs.Add(new EndpointSpec(
                socket.Address,
                (int)socket.PortValue,
                ConfigPath.Join(socketPath, "address"),
                endpoint.Hostname,
                lbEndpoint.LoadBalancingWeight ?? 1u,
                locality.Priority,
                locality.Locality,
                locality.LoadBalancingWeight,
                lbEndpoint.HealthStatus,
                lbEndpoint.Metadata));
        }
    }
}
