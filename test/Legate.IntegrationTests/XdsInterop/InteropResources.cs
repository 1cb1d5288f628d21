using System.Text.Json.Nodes;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.XdsInterop;

/// <summary>
/// Resource sets for the interop server, in protobufjs object form (proto field names, "@type" on every Any,
/// Durations as {seconds}): listener -> RDS route configuration -> EDS cluster -> endpoint.
/// </summary>
internal static class InteropResources
{
    public const string TypePrefix = "type.googleapis.com/";
    public const string ListenerType = TypePrefix + "envoy.config.listener.v3.Listener";
    public const string RouteType = TypePrefix + "envoy.config.route.v3.RouteConfiguration";
    public const string ClusterType = TypePrefix + "envoy.config.cluster.v3.Cluster";
    public const string EndpointType = TypePrefix + "envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string ListenerName = "ads_listener";
    public const string RouteName = "ads_route";
    public const string ClusterName = "ads_cluster";

    public static JsonObject Set(string version, params JsonObject[] resources)
    {
        var array = new JsonArray();
        foreach (var resource in resources)
        {
            array.Add(resource);
        }
        return new JsonObject { ["version"] = version, ["resources"] = array };
    }

    public static JsonObject Listener(string name, string address, int port) => new()
    {
        ["@type"] = ListenerType,
        ["name"] = name,
        ["address"] = new JsonObject
        {
            ["socket_address"] = new JsonObject { ["address"] = address, ["port_value"] = port },
        },
        ["filter_chains"] = new JsonArray(new JsonObject
        {
            ["filters"] = new JsonArray(new JsonObject
            {
                ["name"] = "envoy.filters.network.http_connection_manager",
                ["typed_config"] = new JsonObject
                {
                    ["@type"] = TypePrefix + "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                    ["stat_prefix"] = "ads_http",
                    ["codec_type"] = "AUTO",
                    ["rds"] = new JsonObject
                    {
                        ["route_config_name"] = RouteName,
                        ["config_source"] = AdsSource(),
                    },
                    ["http_filters"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "envoy.filters.http.router",
                        ["typed_config"] = new JsonObject { ["@type"] = TypePrefix + "envoy.extensions.filters.http.router.v3.Router" },
                    }),
                },
            }),
        }),
    };

    public static JsonObject Route() => new()
    {
        ["@type"] = RouteType,
        ["name"] = RouteName,
        ["virtual_hosts"] = new JsonArray(new JsonObject
        {
            ["name"] = "all",
            ["domains"] = new JsonArray("*"),
            ["routes"] = new JsonArray(new JsonObject
            {
                ["match"] = new JsonObject { ["prefix"] = "/" },
                ["route"] = new JsonObject { ["cluster"] = ClusterName },
            }),
        }),
    };

    public static JsonObject Cluster() => new()
    {
        ["@type"] = ClusterType,
        ["name"] = ClusterName,
        ["type"] = "EDS",
        ["connect_timeout"] = new JsonObject { ["seconds"] = 1 },
        ["eds_cluster_config"] = new JsonObject { ["eds_config"] = AdsSource() },
    };

    public static JsonObject Endpoints(int upstreamPort) => new()
    {
        ["@type"] = EndpointType,
        ["cluster_name"] = ClusterName,
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["lb_endpoints"] = new JsonArray(new JsonObject
            {
                ["endpoint"] = new JsonObject
                {
                    ["address"] = new JsonObject
                    {
                        ["socket_address"] = new JsonObject { ["address"] = "127.0.0.1", ["port_value"] = upstreamPort },
                    },
                },
            }),
        }),
    };

    /// <summary>Legate's bootstrap: no listeners or application clusters of its own, only the ADS server's cluster.</summary>
    public static string Bootstrap(int xdsPort) => """
        node:
          id: legate-interop
          cluster: interop
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services:
            - envoy_grpc:
                cluster_name: xds_cluster
          lds_config:
            ads: {}
            resource_api_version: V3
          cds_config:
            ads: {}
            resource_api_version: V3
        """ + "\n" + ConfigYaml.XdsServerCluster(xdsPort);

    private static JsonObject AdsSource() => new() { ["ads"] = new JsonObject(), ["resource_api_version"] = "V3" };
}
