using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Legate.Router;
using Legate.Stats;

namespace Legate.Http;

/// <summary>
/// <c>vhost.&lt;vh&gt;.vcluster.&lt;vc&gt;.*</c>: per request class stats of a virtual host with
/// virtual_clusters. Handles are created once per (virtual host, virtual cluster) and cached.
/// </summary>
internal sealed class VirtualClusterStats
{
    private readonly StatsScope _scope;
    private readonly Counter?[] _byCode = new Counter?[600];
    private readonly Counter?[] _byClass = new Counter?[6];

    private VirtualClusterStats(StatsScope scope)
    {
        _scope = scope;
        Total = scope.Counter("upstream_rq_total");
        Time = scope.Histogram("upstream_rq_time");
        Timeout = scope.Counter("upstream_rq_timeout");
        scope.Counter("upstream_rq_retry");
        scope.Counter("upstream_rq_retry_limit_exceeded");
        scope.Counter("upstream_rq_retry_overflow");
        scope.Counter("upstream_rq_retry_success");
    }

    public Counter Total { get; }

    public Histogram Time { get; }

    public Counter Timeout { get; }

    /// <summary>Counts a request that went upstream, in its virtual cluster (or <c>other</c>).</summary>
    public void Record(StreamInfo info, long upstreamStart)
    {
        Total.Inc();
        var status = info.ResponseCode;
        if (status is >= 100 and < 600)
        {
            (_byCode[status] ??= _scope.Counter("upstream_rq_" + status.ToString(CultureInfo.InvariantCulture))).Inc();
            var cls = status / 100;
            (_byClass[cls] ??= _scope.Counter("upstream_rq_" + cls.ToString(CultureInfo.InvariantCulture) + "xx")).Inc();
        }
        if ((info.ResponseFlags & ResponseFlags.UpstreamRequestTimeout) != 0)
        {
            Timeout.Inc();
        }
        if (upstreamStart != 0 && info.FirstUpstreamRxByteTimestamp != 0)
        {
            Time.Record(Stopwatch.GetElapsedTime(upstreamStart, info.FirstUpstreamRxByteTimestamp).TotalMilliseconds);
        }
    }

    /// <summary>The stats of one connection manager's virtual clusters; entries die with their route table.</summary>
    public sealed class Cache(StatsStore store)
    {
        private readonly ConditionalWeakTable<VirtualHostEntry, ConcurrentDictionary<VirtualClusterEntry, VirtualClusterStats>> _byHost = new();

        public VirtualClusterStats Get(VirtualHostEntry host, VirtualClusterEntry cluster)
        {
            var perHost = _byHost.GetValue(host, static _ => new ConcurrentDictionary<VirtualClusterEntry, VirtualClusterStats>());
            if (perHost.TryGetValue(cluster, out var stats))
            {
                return stats;
            }
            var scope = store.Scope("vhost." + StatNames.Sanitize(host.Name) + ".vcluster." + StatNames.Sanitize(cluster.Name));
            return perHost.GetOrAdd(cluster, new VirtualClusterStats(scope));
        }
    }
}
