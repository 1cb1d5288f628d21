using System.Globalization;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Legate.Config;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>An ADS bootstrap and the resources a management server hands a proxy, written as Envoy JSON.</summary>
internal static class XdsResources
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry));

    public static string AdsBootstrap(int xdsPort, string apiType) => """
        node: { id: e2e-node, cluster: e2e }
        dynamic_resources:
          ads_config:
            api_type: API_TYPE
            transport_api_version: V3
            grpc_services:
            - envoy_grpc: { cluster_name: xds_cluster }
          cds_config: { ads: {}, resource_api_version: V3, initial_fetch_timeout: 5s }
          lds_config: { ads: {}, resource_api_version: V3, initial_fetch_timeout: 5s }
        """.Replace("API_TYPE", apiType, StringComparison.Ordinal) + "\n" + ConfigYaml.XdsServerCluster(xdsPort);

    public static Cluster EdsCluster(string name) => Parser.Parse<Cluster>("""
        {
          "name": "NAME",
          "type": "EDS",
          "connectTimeout": "1s",
          "edsClusterConfig": { "edsConfig": { "ads": {}, "resourceApiVersion": "V3" } }
        }
        """.Replace("NAME", name, StringComparison.Ordinal));

    public static Listener Listener(string name, string routeConfig, int port = 0) => Parser.Parse<Listener>("""
        {
          "name": "NAME",
          "address": { "socketAddress": { "address": "127.0.0.1", "portValue": PORT } },
          "filterChains": [{
            "filters": [{
              "name": "envoy.filters.network.http_connection_manager",
              "typedConfig": {
                "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                "statPrefix": "ingress_http",
                "rds": { "routeConfigName": "ROUTE", "configSource": { "ads": {}, "resourceApiVersion": "V3" } },
                "httpFilters": [{
                  "name": "envoy.filters.http.router",
                  "typedConfig": { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" }
                }]
              }
            }]
          }]
        }
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("ROUTE", routeConfig, StringComparison.Ordinal)
        .Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    public static RouteConfiguration Route(string name, string cluster, string? prefixRewrite = null)
    {
        var rewrite = prefixRewrite is null ? string.Empty : ", \"prefixRewrite\": \"" + prefixRewrite + "\"";
        return Parser.Parse<RouteConfiguration>("""
            {
              "name": "NAME",
              "virtualHosts": [{
                "name": "all",
                "domains": ["*"],
                "routes": [{ "match": { "prefix": "/probe" }, "route": { "cluster": "CLUSTER"REWRITE } },
                           { "match": { "prefix": "/" }, "route": { "cluster": "CLUSTER" } }]
              }]
            }
            """.Replace("NAME", name, StringComparison.Ordinal).Replace("CLUSTER", cluster, StringComparison.Ordinal).Replace("REWRITE", rewrite, StringComparison.Ordinal));
    }
}
