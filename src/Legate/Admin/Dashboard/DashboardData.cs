using System.Buffers;
using System.Text;
using System.Text.Json;
using Legate.Server;
using Legate.Upstream;

namespace Legate.Admin.Dashboard;

/// <summary>
/// GET /dashboard/data: the sampler's series (only those newer than <c>?since=</c>) plus the current
/// listeners, clusters and hosts, as compact JSON for the page's script.
/// </summary>
internal static class DashboardData
{
    public static string Render(AdminContext context, DashboardSampler sampler, long since)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            json.WriteNumber("interval_ms", (long)DashboardSampler.DefaultInterval.TotalMilliseconds);
            json.WriteNumber("capacity", DashboardSampler.Capacity);
            WriteServer(json, context);
            var samples = sampler.SamplesSince(since);
            // The page compares this with what it has seen to notice a restarted server.
            json.WriteNumber("last_seq", samples.Count > 0 ? samples[^1].Sequence : sampler.LastSequence);
            WriteSamples(json, samples);
            WriteListeners(json, context);
            WriteClusters(json, context, sampler);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteServer(Utf8JsonWriter json, AdminContext context)
    {
        var server = context.Server;
        json.WriteStartObject("server");
        json.WriteString("state", context.State switch
        {
            ServerState.Live => "LIVE",
            ServerState.Draining => "DRAINING",
            ServerState.PreInitializing => "PRE_INITIALIZING",
            _ => "INITIALIZING",
        });
        json.WriteNumber("uptime_s", (long)server.Uptime.TotalSeconds);
        json.WriteString("version", LegateVersion.Version);
        json.WriteString("node", server.LocalInfo.NodeId);
        json.WriteString("cluster", server.LocalInfo.ClusterName);
        json.WriteEndObject();
    }

    private static void WriteSamples(Utf8JsonWriter json, List<DashboardSample> samples)
    {
        json.WriteStartArray("samples");
        foreach (var s in samples)
        {
            json.WriteStartObject();
            json.WriteNumber("seq", s.Sequence);
            json.WriteNumber("t", s.UnixMs);
            json.WriteNumber("dt", Math.Round(s.Seconds, 3));
            json.WriteStartObject("hcm");
            for (var i = 0; i < s.HcmNames.Length; i++)
            {
                Number(json, s.HcmNames[i], s.HcmRates[i]);
            }
            json.WriteEndObject();
            Numbers(json, "codes", s.CodeClassRates);
            json.WriteStartObject("clusters");
            for (var i = 0; i < s.ClusterNames.Length; i++)
            {
                json.WriteStartArray(s.ClusterNames[i]);
                Value(json, s.ClusterRates[i]);
                Value(json, s.ClusterErrorRates[i]);
                json.WriteEndArray();
            }
            json.WriteEndObject();
            Numbers(json, "ds", s.DownstreamLatency);
            Numbers(json, "us", s.UpstreamLatency);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteListeners(Utf8JsonWriter json, AdminContext context)
    {
        json.WriteStartArray("listeners");
        foreach (var listener in ListenerSnapshot.Sorted(context))
        {
            var endPoint = listener.BoundEndPoint ?? listener.Definition.EndPoint;
            var stats = listener.Definition.Stats;
            json.WriteStartObject();
            json.WriteString("name", listener.Name);
            json.WriteString("address", AdminServer.FormatAddress(endPoint));
            json.WriteBoolean("bound", listener.BoundEndPoint is not null);
            json.WriteNumber("filter_chains", listener.Definition.Chains.Count);
            json.WriteNumber("cx_active", stats.DownstreamCxActive.Value);
            json.WriteNumber("cx_total", stats.DownstreamCxTotal.Value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteClusters(Utf8JsonWriter json, AdminContext context, DashboardSampler sampler)
    {
        var clusters = new List<UpstreamCluster>(context.Server.ClusterManager.Clusters);
        clusters.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        json.WriteStartArray("clusters");
        foreach (var cluster in clusters)
        {
            json.WriteStartObject();
            json.WriteString("name", cluster.Name);
            json.WriteString("type", cluster.ClusterTypeName);
            json.WriteString("lb", cluster.LbPolicyName);
            json.WriteNumber("rq_total", cluster.Stats.UpstreamRqTotal.Value);
            json.WriteNumber("rq_active", cluster.Stats.UpstreamRqActive.Value);
            json.WriteNumber("cx_active", cluster.Stats.UpstreamCxActive.Value);
            json.WriteStartArray("hosts");
            foreach (var host in cluster.PrioritySet.Hosts)
            {
                WriteHost(json, host, sampler);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteHost(Utf8JsonWriter json, Host host, DashboardSampler sampler)
    {
        var s = host.Stats;
        json.WriteStartObject();
        json.WriteString("address", host.Address);
        json.WriteString("hostname", host.Hostname);
        json.WriteString("health", host.Health switch
        {
            HostHealth.Healthy => "healthy",
            HostHealth.Degraded => "degraded",
            HostHealth.Unhealthy => "unhealthy",
            _ => "excluded",
        });
        json.WriteString("health_flags", host.HealthFlags);
        json.WriteNumber("weight", host.Weight);
        json.WriteNumber("priority", host.Priority);
        json.WriteString("zone", host.Locality.Zone);
        json.WriteNumber("rq_total", Volatile.Read(ref s.RqTotal));
        json.WriteNumber("rq_success", Volatile.Read(ref s.RqSuccess));
        json.WriteNumber("rq_error", Volatile.Read(ref s.RqError));
        json.WriteNumber("rq_timeout", Volatile.Read(ref s.RqTimeout));
        json.WriteNumber("rq_active", Volatile.Read(ref s.RqActive));
        json.WriteNumber("cx_active", Volatile.Read(ref s.CxActive));
        Numbers(json, "rates", sampler.HostRates(host));
        json.WriteEndObject();
    }

    private static void Numbers(Utf8JsonWriter json, string name, double[] values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            Value(json, v);
        }
        json.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        Value(json, value);
    }

    // JSON has no NaN: a percentile over an empty window is null, a gap in the plot.
    private static void Value(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumberValue(Math.Round(value, 3));
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
