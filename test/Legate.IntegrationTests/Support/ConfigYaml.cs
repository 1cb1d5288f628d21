using System.Globalization;
using System.Text;

namespace Legate.IntegrationTests.Support;

/// <summary>
/// Builds Envoy bootstraps for the tests. Pieces are block YAML written at column 0; the builder indents
/// them into place so tests can write their routes and clusters as they would in an envoy.yaml.
/// </summary>
public static class ConfigYaml
{
    public const string H2ProtocolOptions = """
        typed_extension_protocol_options:
          envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
            "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
            explicit_http_config:
              http2_protocol_options: {}
        """;

    /// <summary>One listener <c>listener_0</c> on 127.0.0.1:<paramref name="port"/> with an AUTO HCM and the router.</summary>
    public static string Bootstrap(
        string virtualHosts,
        IEnumerable<string> clusters,
        string hcmExtra = "",
        string statPrefix = "ingress_http",
        string routeConfigExtra = "",
        int port = 0)
    {
        var sb = ListenerHead(port);
        sb.Append("""
                filter_chains:
                - filters:
                  - name: envoy.filters.network.http_connection_manager
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      codec_type: AUTO
                      stat_prefix: 
            """).Append(statPrefix).Append('\n');
        if (hcmExtra.Length > 0)
        {
            sb.Append(Indent(hcmExtra, 10));
        }
        sb.Append("""
                      http_filters:
                      - name: envoy.filters.http.router
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                      route_config:
                        name: local_route
                        virtual_hosts:

            """);
        sb.Append(Indent(virtualHosts, 12));
        if (routeConfigExtra.Length > 0)
        {
            sb.Append(Indent(routeConfigExtra, 12));
        }
        AppendClusters(sb, clusters);
        return sb.ToString();
    }

    /// <summary><c>static_resources</c> up to the address of the one listener, <c>listener_0</c>.</summary>
    private static StringBuilder ListenerHead(int port) => new StringBuilder("""
        static_resources:
          listeners:
          - name: listener_0
            address:
              socket_address: { address: 127.0.0.1, port_value: 
        """).Append(port.ToString(CultureInfo.InvariantCulture)).Append(" }\n");

    private static void AppendClusters(StringBuilder sb, IEnumerable<string> clusters)
    {
        var any = false;
        foreach (var cluster in clusters)
        {
            if (!any)
            {
                sb.Append("  clusters:\n");
                any = true;
            }
            sb.Append(ListItem(cluster, 2));
        }
    }

    /// <summary>One listener <c>listener_0</c> on 127.0.0.1:<paramref name="port"/> whose filter chain is a tcp_proxy with <paramref name="tcpProxy"/> as its typed_config fields.</summary>
    public static string TcpProxyBootstrap(string tcpProxy, IEnumerable<string> clusters, string listenerExtra = "", int port = 0)
    {
        var sb = ListenerHead(port);
        if (listenerExtra.Length > 0)
        {
            sb.Append(Indent(listenerExtra, 4));
        }
        sb.Append("""
                filter_chains:
                - filters:
                  - name: envoy.filters.network.tcp_proxy
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy

            """);
        sb.Append(Indent(tcpProxy, 10));
        AppendClusters(sb, clusters);
        return sb.ToString();
    }

    /// <summary>A virtual host for every domain with a single prefix route to <paramref name="cluster"/>.</summary>
    public static string CatchAll(string cluster, string routeExtra = "") =>
        "- name: all\n  domains: [\"*\"]\n  routes:\n  - match: { prefix: \"/\" }\n    route:\n      cluster: " + cluster + "\n"
        + (routeExtra.Length > 0 ? Indent(routeExtra, 6) : string.Empty);

    /// <summary>A STATIC cluster on 127.0.0.1 with one endpoint per port (weights optional).</summary>
    public static string StaticCluster(string name, int[] ports, string lbPolicy = "ROUND_ROBIN", int[]? weights = null, string extra = "", string connectTimeout = "1s")
    {
        var sb = new StringBuilder();
        sb.Append("name: ").Append(name).Append('\n');
        sb.Append("connect_timeout: ").Append(connectTimeout).Append('\n');
        sb.Append("type: STATIC\n");
        sb.Append("lb_policy: ").Append(lbPolicy).Append('\n');
        sb.Append("load_assignment:\n  cluster_name: ").Append(name).Append("\n  endpoints:\n  - lb_endpoints:\n");
        for (var i = 0; i < ports.Length; i++)
        {
            sb.Append("    - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ")
                .Append(ports[i].ToString(CultureInfo.InvariantCulture)).Append(" } } }\n");
            if (weights is not null)
            {
                sb.Append("      load_balancing_weight: ").Append(weights[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        if (extra.Length > 0)
        {
            sb.Append(extra.TrimEnd('\n')).Append('\n');
        }
        return sb.ToString();
    }

    public static string StaticCluster(string name, int port, string extra = "") => StaticCluster(name, [port], extra: extra);

    /// <summary><c>static_resources</c> with one cluster: the management server's, on 127.0.0.1:<paramref name="port"/> over h2c.</summary>
    public static string XdsServerCluster(int port) =>
        "static_resources:\n  clusters:\n" + ListItem(StaticCluster("xds_cluster", port, H2ProtocolOptions), 2);

    public static string Indent(string block, int spaces)
    {
        var pad = new string(' ', spaces);
        var sb = new StringBuilder();
        foreach (var line in block.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            sb.Append(line.Length == 0 ? string.Empty : pad).Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static string ListItem(string mapping, int spaces)
    {
        var indented = Indent(mapping, spaces + 2);
        return new string(' ', spaces) + "- " + indented.Substring(spaces + 2);
    }
}
