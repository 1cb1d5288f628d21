using Legate.Stats;
using Legate.Upstream;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

public class DnsClusterTests
{
    private static string DnsCluster(string type, string family, params string[] names)
    {
        var endpoints = string.Join(",", names.Select((n, i) => "{\"endpoint\":" + SocketEndpoint(n, 8080 + i) + "}"));
        return "{\"name\":\"dns\",\"type\":\"" + type + "\",\"dns_lookup_family\":\"" + family + "\",\"dns_refresh_rate\":\"60s\","
            + "\"load_assignment\":{\"cluster_name\":\"dns\",\"endpoints\":[{\"lb_endpoints\":[" + endpoints + "]}]}}";
    }

    [Fact]
    public async Task StrictDnsResolvesLocalhost()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster(DnsCluster("STRICT_DNS", "V4_ONLY", "localhost")), "c");
        await manager.InitializeAsync(CancellationToken.None);
        Assert.True(cluster.Initialized.IsCompletedSuccessfully);
        var host = Assert.Single(cluster.PrioritySet.Hosts);
        Assert.Equal("127.0.0.1:8080", host.Address);
        Assert.Equal("localhost", host.Hostname);
        var context = new LoadBalancerContext();
        Assert.Same(host, cluster.ChooseHost(in context));
    }

    [Fact]
    public async Task UnresolvableNameYieldsNoHostsWithoutThrowing()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var cluster = manager.AddOrUpdateCluster(Cluster(DnsCluster("STRICT_DNS", "AUTO", "nonexistent.invalid")), "c");
        await cluster.Initialized.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(cluster.PrioritySet.Hosts);
        var context = new LoadBalancerContext();
        Assert.Null(cluster.ChooseHost(in context));
        Assert.Equal(1, stats.Counter("cluster.dns.update_failure").Value);
        Assert.Equal(1, stats.Counter("cluster.dns.upstream_cx_none_healthy").Value);
    }

    [Fact]
    public async Task StrictDnsKeepsTheNamesThatResolve()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster(DnsCluster("STRICT_DNS", "V4_ONLY", "nonexistent.invalid", "localhost")), "c");
        await cluster.Initialized.WaitAsync(TimeSpan.FromSeconds(30));
        var host = Assert.Single(cluster.PrioritySet.Hosts);
        Assert.Equal("127.0.0.1:8081", host.Address);
    }

    [Fact]
    public async Task LogicalDnsHasOneHostForTheFirstAddress()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster(DnsCluster("LOGICAL_DNS", "V4_PREFERRED", "localhost")), "c");
        await manager.InitializeAsync(CancellationToken.None);
        var host = Assert.Single(cluster.PrioritySet.Hosts);
        Assert.Equal("127.0.0.1:8080", host.Address);
        Assert.Equal("localhost", host.Hostname);
    }

    [Fact]
    public void LookupFamilyOrdersAndFilters()
    {
        var v4 = System.Net.IPAddress.Parse("10.0.0.1");
        var v6 = System.Net.IPAddress.Parse("fd00::1");
        System.Net.IPAddress[] both = [v4, v6];
        Assert.Equal([v6], Legate.Upstream.Clusters.DnsLookup.Select(both, Envoy.Config.Cluster.V3.Cluster.Types.DnsLookupFamily.Auto));
        Assert.Equal([v4], Legate.Upstream.Clusters.DnsLookup.Select([v4], Envoy.Config.Cluster.V3.Cluster.Types.DnsLookupFamily.Auto));
        Assert.Equal([v4], Legate.Upstream.Clusters.DnsLookup.Select(both, Envoy.Config.Cluster.V3.Cluster.Types.DnsLookupFamily.V4Preferred));
        Assert.Equal([v4, v6], Legate.Upstream.Clusters.DnsLookup.Select([v6, v4], Envoy.Config.Cluster.V3.Cluster.Types.DnsLookupFamily.All));
        Assert.Empty(Legate.Upstream.Clusters.DnsLookup.Select([v4], Envoy.Config.Cluster.V3.Cluster.Types.DnsLookupFamily.V6Only));
    }
}
