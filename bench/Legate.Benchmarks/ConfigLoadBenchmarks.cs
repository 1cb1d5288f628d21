using BenchmarkDotNet.Attributes;
using Envoy.Config.Bootstrap.V3;
using Legate.Config;
using Legate.Stats;
using ClusterManager = Legate.Upstream.ClusterManager;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.Benchmarks;

/// <summary>
/// A bootstrap with 10,000 STATIC clusters: YAML parse + validation (ConfigLoader), and building them all
/// in a ClusterManager the way LegateServer does at startup (one AddOrUpdateCluster per cluster).
/// </summary>
[MemoryDiagnoser]
public class ConfigLoadBenchmarks
{
    private const int ClusterCount = 10_000;
    private string _path = null!;
    private Bootstrap _bootstrap = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "legate-bench-" + Environment.ProcessId + "-10k-clusters.yaml");
        using (var writer = new StreamWriter(_path))
        {
            writer.Write("static_resources:\n  clusters:\n");
            for (var i = 0; i < ClusterCount; i++)
            {
                writer.Write("  - name: c" + i + "\n    type: STATIC\n    connect_timeout: 1s\n    lb_policy: ROUND_ROBIN\n" +
                             "    load_assignment:\n      cluster_name: c" + i + "\n      endpoints:\n      - lb_endpoints:\n" +
                             "        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: " +
                             (20000 + i % 1000) + " } } }\n");
            }
        }
        _bootstrap = ConfigLoader.LoadBootstrap(_path, null, ConfigLoadOptions.Strict);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark]
    public Bootstrap LoadYaml10kClusters() => ConfigLoader.LoadBootstrap(_path, null, ConfigLoadOptions.Strict);

    [Benchmark]
    public int BuildClusterManager10kClusters()
    {
        using var clusters = new ClusterManager(new StatsStore(), NullLoggerFactory.Instance);
        var statics = _bootstrap.StaticResources.Clusters;
        for (var i = 0; i < statics.Count; i++)
        {
            clusters.AddOrUpdateCluster(statics[i], ConfigPath.Index("static_resources.clusters", i));
        }
        return clusters.Clusters.Count;
    }
}
