using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Google.Protobuf;
using Legate.Config;
using Legate.Stats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.Tests.Upstream;

/// <summary>Builds clusters from Envoy JSON, as the config loader would hand them over.</summary>
internal static class UpstreamTestConfig
{
    private static readonly JsonParser s_parser = new(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry));

    public static Cluster Cluster(string json) => s_parser.Parse<Cluster>(json);

    public static ClusterLoadAssignment Assignment(string json) => s_parser.Parse<ClusterLoadAssignment>(json);

    public static Legate.Upstream.ClusterManager Manager(StatsStore? stats = null) =>
        new(stats ?? new StatsStore(), NullLoggerFactory.Instance);

    /// <summary>A STATIC cluster; each endpoint is (ip, port, weight, priority, health_status).</summary>
    public static Cluster Static(string name, string lbPolicy, params (string Ip, int Port, int Weight, int Priority, string Health)[] endpoints)
    {
        var localities = new List<string>();
        foreach (var group in endpoints.GroupBy(e => e.Priority))
        {
            var lbEndpoints = string.Join(",", group.Select(e =>
                "{\"endpoint\":" + SocketEndpoint(e.Ip, e.Port) + ",\"load_balancing_weight\":" + e.Weight + ",\"health_status\":\"" + e.Health + "\"}"));
            localities.Add("{\"priority\":" + group.Key + ",\"lb_endpoints\":[" + lbEndpoints + "]}");
        }
        return Cluster("{\"name\":\"" + name + "\",\"type\":\"STATIC\",\"lb_policy\":\"" + lbPolicy + "\","
            + "\"load_assignment\":{\"cluster_name\":\"" + name + "\",\"endpoints\":[" + string.Join(",", localities) + "]}}");
    }

    /// <summary>An Endpoint message in JSON: {"address":{"socket_address":{...}}}.</summary>
    public static string SocketEndpoint(string address, int port) =>
        "{\"address\":{\"socket_address\":{\"address\":\"" + address + "\",\"port_value\":" + port + "}}}";

    public static (string, int, int, int, string) Ep(string ip, int weight = 1, int priority = 0, string health = "HEALTHY", int port = 80) =>
        (ip, port, weight, priority, health);
}
