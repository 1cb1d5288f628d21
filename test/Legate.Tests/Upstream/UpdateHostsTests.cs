using Legate.Config;
using Legate.Stats;
using Legate.Upstream;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

public class UpdateHostsTests
{
    private const string Eds = """{"name":"eds","type":"EDS","eds_cluster_config":{"eds_config":{"ads":{}}}}""";

    [Fact]
    public void SurvivingHostsKeepTheirObjectAndStats()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var cluster = manager.AddOrUpdateCluster(Cluster(Eds), "c");
        cluster.UpdateHosts(Assignment("""
            {"cluster_name":"eds","endpoints":[{"lb_endpoints":[
              {"endpoint":{"address":{"socket_address":{"address":"10.0.0.1","port_value":80}}}},
              {"endpoint":{"address":{"socket_address":{"address":"10.0.0.2","port_value":80}}}}]}]}
            """), "eds");
        var survivor = cluster.PrioritySet.Hosts.Single(h => h.Address == "10.0.0.2:80");
        survivor.Stats.OnRequestStart();
        Assert.Equal(1, stats.Counter("cluster.eds.membership_change").Value);

        cluster.UpdateHosts(Assignment("""
            {"cluster_name":"eds","endpoints":[{"locality":{"zone":"z1"},"priority":1,"lb_endpoints":[
              {"endpoint":{"address":{"socket_address":{"address":"10.0.0.2","port_value":80}},"hostname":"two"},"load_balancing_weight":7,"health_status":"DEGRADED"},
              {"endpoint":{"address":{"socket_address":{"address":"10.0.0.3","port_value":80}}}}]}]}
            """), "eds");
        var hosts = cluster.PrioritySet.Hosts;
        Assert.Equal(["10.0.0.2:80", "10.0.0.3:80"], hosts.Select(h => h.Address));
        Assert.Same(survivor, hosts[0]);
        Assert.Equal(1, survivor.Stats.RqTotal);
        Assert.Equal(7u, survivor.Weight);
        Assert.Equal(1u, survivor.Priority);
        Assert.Equal("two", survivor.Hostname);
        Assert.Equal("z1", survivor.Locality.Zone);
        Assert.Equal(HostHealth.Degraded, survivor.Health);
        Assert.Equal(2, stats.Counter("cluster.eds.membership_change").Value);

        // Same membership again: no membership change.
        cluster.UpdateHosts(Assignment("""
            {"cluster_name":"eds","endpoints":[{"lb_endpoints":[
              {"endpoint":{"address":{"socket_address":{"address":"10.0.0.2","port_value":80}}}},
              {"endpoint":{"address":{"socket_address":{"address":"10.0.0.3","port_value":80}}}}]}]}
            """), "eds");
        Assert.Equal(2, stats.Counter("cluster.eds.membership_change").Value);
        Assert.Same(survivor, cluster.PrioritySet.Hosts[0]);
    }

    [Fact]
    public void InvalidAssignmentChangesNothing()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster(Eds), "c");
        cluster.UpdateHosts(Assignment("""{"cluster_name":"eds","endpoints":[{"lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"10.0.0.1","port_value":80}}}}]}]}"""), "eds");
        var before = cluster.PrioritySet;
        var e = Assert.Throws<ConfigException>(() => cluster.UpdateHosts(Assignment("""
            {"cluster_name":"eds","endpoints":[{"lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"10.0.0.1","port_value":80}}},"load_balancing_weight":0}]}]}
            """), "resources[0]"));
        Assert.Equal("resources[0].endpoints[0].lb_endpoints[0].load_balancing_weight", e.FieldPath);
        Assert.Same(before, cluster.PrioritySet);
    }
}
