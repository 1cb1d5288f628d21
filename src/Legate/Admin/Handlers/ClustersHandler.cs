using System.Globalization;
using System.Text;
using Envoy.Admin.V3;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Legate.Stats.Rendering;
using Legate.Upstream;

namespace Legate.Admin.Handlers;

/// <summary>GET /clusters: Envoy's <c>cluster::host::stat::value</c> text, or envoy.admin.v3.Clusters with ?format=json.</summary>
internal static class ClustersHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/clusters", "upstream cluster status", false, request =>
            request.Get("format") == "json"
                ? AdminResponse.Json(AdminJson.Format(BuildJson(context.Server.ClusterManager.Clusters)))
                : AdminResponse.Text(RenderText(context.Server.ClusterManager.Clusters)),
        [new("format", "Format to use", ["text", "json"])]);

    public static string RenderText(IEnumerable<UpstreamCluster> clusters)
    {
        var sb = new StringBuilder();
        foreach (var cluster in clusters)
        {
            var name = cluster.Name;
            Line(sb, name, "observability_name", ObservabilityName(cluster));
            Breakers(sb, name, "default", cluster.DefaultPriorityThresholds);
            Breakers(sb, name, "high", cluster.HighPriorityThresholds);
            Line(sb, name, "added_via_api", cluster.AddedViaApi ? "true" : "false");
            if (cluster.EdsServiceName is { } eds)
            {
                Line(sb, name, "eds_service_name", eds);
            }
            foreach (var set in cluster.PrioritySet.HostSetsPerPriority)
            {
                foreach (var host in set.Hosts)
                {
                    HostLines(sb, name, host);
                }
            }
        }
        return sb.ToString();
    }

    private static void HostLines(StringBuilder sb, string cluster, Host host)
    {
        var prefix = cluster + "::" + host.Address + "::";
        // Counters and gauges merged and sorted by name, as Envoy prints them.
        var s = host.Stats;
        Stat(sb, prefix, "cx_active", Volatile.Read(ref s.CxActive));
        Stat(sb, prefix, "cx_connect_fail", Volatile.Read(ref s.CxConnectFail));
        Stat(sb, prefix, "cx_total", Volatile.Read(ref s.CxTotal));
        Stat(sb, prefix, "rq_active", Volatile.Read(ref s.RqActive));
        Stat(sb, prefix, "rq_error", Volatile.Read(ref s.RqError));
        Stat(sb, prefix, "rq_success", Volatile.Read(ref s.RqSuccess));
        Stat(sb, prefix, "rq_timeout", Volatile.Read(ref s.RqTimeout));
        Stat(sb, prefix, "rq_total", Volatile.Read(ref s.RqTotal));
        sb.Append(prefix).Append("hostname::").Append(host.Hostname).Append('\n');
        sb.Append(prefix).Append("health_flags::").Append(host.HealthFlags).Append('\n');
        sb.Append(prefix).Append("weight::").Append(host.Weight.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(prefix).Append("region::").Append(host.Locality.Region).Append('\n');
        sb.Append(prefix).Append("zone::").Append(host.Locality.Zone).Append('\n');
        sb.Append(prefix).Append("sub_zone::").Append(host.Locality.SubZone).Append('\n');
        sb.Append(prefix).Append("canary::").Append(host.Canary ? "true" : "false").Append('\n');
        sb.Append(prefix).Append("priority::").Append(host.Priority.ToString(CultureInfo.InvariantCulture)).Append('\n');
        // No outlier detection yet: Envoy prints -1 for an unknown success rate.
        sb.Append(prefix).Append("success_rate::").Append(StatNumberFormat.Shortest(-1)).Append('\n');
        sb.Append(prefix).Append("local_origin_success_rate::").Append(StatNumberFormat.Shortest(-1)).Append('\n');
    }

    public static Clusters BuildJson(IEnumerable<UpstreamCluster> clusters)
    {
        var result = new Clusters();
        foreach (var cluster in clusters)
        {
            var status = new ClusterStatus
            {
                Name = cluster.Name,
                AddedViaApi = cluster.AddedViaApi,
                ObservabilityName = ObservabilityName(cluster),
                EdsServiceName = cluster.EdsServiceName ?? string.Empty,
                CircuitBreakers = new CircuitBreakers(),
            };
            status.CircuitBreakers.Thresholds.Add(Thresholds(cluster.DefaultPriorityThresholds));
            status.CircuitBreakers.Thresholds.Add(Thresholds(cluster.HighPriorityThresholds));
            foreach (var set in cluster.PrioritySet.HostSetsPerPriority)
            {
                foreach (var host in set.Hosts)
                {
                    status.HostStatuses.Add(HostStatusOf(host));
                }
            }
            result.ClusterStatuses.Add(status);
        }
        return result;
    }

    private static HostStatus HostStatusOf(Host host)
    {
        var status = new HostStatus
        {
            Hostname = host.Hostname,
            Weight = host.Weight,
            Priority = host.Priority,
            Locality = host.Locality.Clone(),
            HealthStatus = new HostHealthStatus
            {
                EdsHealthStatus = host.Health switch
                {
                    HostHealth.Unhealthy => HealthStatus.Unhealthy,
                    HostHealth.Degraded => HealthStatus.Degraded,
                    _ => HealthStatus.Healthy,
                },
            },
        };
        if (host.EndPoint is { } ep)
        {
            status.Address = new Address
            {
                SocketAddress = new SocketAddress { Address = ep.Address.ToString(), PortValue = (uint)ep.Port },
            };
        }
        // Envoy lists the host's counters, then its gauges.
        var s = host.Stats;
        Metric(status, "cx_connect_fail", Volatile.Read(ref s.CxConnectFail), SimpleMetric.Types.Type.Counter);
        Metric(status, "cx_total", Volatile.Read(ref s.CxTotal), SimpleMetric.Types.Type.Counter);
        Metric(status, "rq_error", Volatile.Read(ref s.RqError), SimpleMetric.Types.Type.Counter);
        Metric(status, "rq_success", Volatile.Read(ref s.RqSuccess), SimpleMetric.Types.Type.Counter);
        Metric(status, "rq_timeout", Volatile.Read(ref s.RqTimeout), SimpleMetric.Types.Type.Counter);
        Metric(status, "rq_total", Volatile.Read(ref s.RqTotal), SimpleMetric.Types.Type.Counter);
        Metric(status, "cx_active", Volatile.Read(ref s.CxActive), SimpleMetric.Types.Type.Gauge);
        Metric(status, "rq_active", Volatile.Read(ref s.RqActive), SimpleMetric.Types.Type.Gauge);
        return status;
    }

    private static void Metric(HostStatus status, string name, long value, SimpleMetric.Types.Type type) =>
        status.Stats.Add(new SimpleMetric { Name = name, Value = (ulong)Math.Max(0, value), Type = type });

    private static CircuitBreakers.Types.Thresholds Thresholds(CircuitBreakerThresholds t) => new()
    {
        Priority = t.Priority,
        MaxConnections = t.MaxConnections,
        MaxPendingRequests = t.MaxPendingRequests,
        MaxRequests = t.MaxRequests,
        MaxRetries = t.MaxRetries,
    };

    private static string ObservabilityName(UpstreamCluster cluster) =>
        cluster.Config.AltStatName is { Length: > 0 } alt ? alt : cluster.Name;

    private static void Breakers(StringBuilder sb, string cluster, string priority, CircuitBreakerThresholds t)
    {
        var prefix = cluster + "::" + priority + "_priority::";
        sb.Append(prefix).Append("max_connections::").Append(t.MaxConnections.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(prefix).Append("max_pending_requests::").Append(t.MaxPendingRequests.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(prefix).Append("max_requests::").Append(t.MaxRequests.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(prefix).Append("max_retries::").Append(t.MaxRetries.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Line(StringBuilder sb, string cluster, string key, string value) =>
        sb.Append(cluster).Append("::").Append(key).Append("::").Append(value).Append('\n');

    private static void Stat(StringBuilder sb, string prefix, string name, long value) =>
        sb.Append(prefix).Append(name).Append("::").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
