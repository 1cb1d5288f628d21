using BenchmarkDotNet.Attributes;
using Envoy.Config.Cluster.V3;
using Legate.Config;
using Legate.Stats;
using Legate.Upstream;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.Benchmarks;

/// <summary>UpstreamCluster.ChooseHost for each lb_policy over a STATIC cluster of 10 hosts (equal or mixed weights).</summary>
[MemoryDiagnoser]
public class LoadBalancerBenchmarks
{
    private ClusterManager _clusters = null!;
    private UpstreamCluster _cluster = null!;

    [Params("ROUND_ROBIN", "LEAST_REQUEST", "RANDOM")]
    public string Policy { get; set; } = "ROUND_ROBIN";

    [Params(false, true)]
    public bool Weighted { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var endpoints = new System.Text.StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            endpoints.Append("      - endpoint: { address: { socket_address: { address: 127.0.0.").Append(i + 1)
                .Append(", port_value: 18080 } } }\n");
            if (Weighted)
            {
                endpoints.Append("        load_balancing_weight: ").Append(i + 1).Append('\n');
            }
        }
        var yaml = "name: bench\ntype: STATIC\nlb_policy: " + Policy + "\nconnect_timeout: 1s\n" +
                   "load_assignment:\n  cluster_name: bench\n  endpoints:\n  - lb_endpoints:\n" + endpoints;
        var config = ConfigParser.ParseYaml<Cluster>(yaml, ConfigLoadOptions.Strict);
        _clusters = new ClusterManager(new StatsStore(), NullLoggerFactory.Instance);
        _cluster = _clusters.AddOrUpdateCluster(config, "clusters[0]");
        if (_cluster.ChooseHost(default) is null)
        {
            throw new InvalidOperationException("no host chosen");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _clusters.Dispose();

    [Benchmark]
    public Host? ChooseHost() => _cluster.ChooseHost(default);
}
