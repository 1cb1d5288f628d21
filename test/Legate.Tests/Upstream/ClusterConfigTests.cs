using System.Net;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Stats;
using Legate.Upstream;
using static Legate.Tests.Upstream.UpstreamTestConfig;

namespace Legate.Tests.Upstream;

public class ClusterConfigTests
{
    [Fact]
    public void StaticClusterRejectsHostnamesNamingTheField()
    {
        using var manager = Manager();
        var config = Cluster("""
            {"name":"s","type":"STATIC","load_assignment":{"cluster_name":"s","endpoints":[
              {"lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"127.0.0.1","port_value":1}}}}]},
              {"lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"10.0.0.1","port_value":1}}}},
                               {"endpoint":{"address":{"socket_address":{"address":"backend.local","port_value":80}}}}]}]}}
            """);
        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(config, "static_resources.clusters[1]"));
        Assert.Equal("static_resources.clusters[1].load_assignment.endpoints[1].lb_endpoints[1].endpoint.address.socket_address.address", e.FieldPath);
        Assert.Contains("backend.local", e.Detail);
        Assert.Null(manager.Get("s"));
    }

    [Fact]
    public void LogicalDnsRejectsMoreThanOneEndpoint()
    {
        using var manager = Manager();
        var config = Cluster("""
            {"name":"l","type":"LOGICAL_DNS","load_assignment":{"cluster_name":"l","endpoints":[{"lb_endpoints":[
              {"endpoint":{"address":{"socket_address":{"address":"localhost","port_value":1}}}},
              {"endpoint":{"address":{"socket_address":{"address":"localhost","port_value":2}}}}]}]}}
            """);
        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(config, "static_resources.clusters[0]"));
        Assert.Equal("static_resources.clusters[0].load_assignment", e.FieldPath);
        Assert.Contains("LOGICAL_DNS", e.Detail);
    }

    [Fact]
    public void UnsupportedClusterTypeIsNamed()
    {
        using var manager = Manager();
        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(Cluster("""{"name":"o","type":"ORIGINAL_DST","lb_policy":"CLUSTER_PROVIDED"}"""), "clusters[2]"));
        Assert.Equal("clusters[2].type", e.FieldPath);
        Assert.Equal("unsupported cluster type ORIGINAL_DST", e.Detail);
        var e2 = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(Cluster("""{"name":"o","type":"EDS"}"""), "clusters[2]"));
        Assert.Equal("clusters[2].eds_cluster_config.eds_config", e2.FieldPath);
        var e3 = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(Cluster("""{"name":"o","cluster_type":{"name":"envoy.clusters.aggregate"}}"""), "clusters[2]"));
        Assert.Equal("clusters[2].cluster_type.name", e3.FieldPath);
    }

    [Theory]
    [InlineData("RING_HASH")]
    [InlineData("MAGLEV")]
    [InlineData("CLUSTER_PROVIDED")]
    [InlineData("LOAD_BALANCING_POLICY_CONFIG")]
    public void UnsupportedLbPolicyIsNamed(string policy)
    {
        using var manager = Manager();
        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(Static("x", policy, Ep("10.0.0.1")), "static_resources.clusters[3]"));
        Assert.Equal("static_resources.clusters[3].lb_policy", e.FieldPath);
        Assert.Equal("unsupported lb_policy " + policy, e.Detail);
    }

    [Fact]
    public void LeastRequestChoiceCountMustBeAtLeastTwo()
    {
        using var manager = Manager();
        var config = Static("x", "LEAST_REQUEST", Ep("10.0.0.1"));
        config.LeastRequestLbConfig = new() { ChoiceCount = 1 };
        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(config, "c"));
        Assert.Equal("c.least_request_lb_config.choice_count", e.FieldPath);
    }

    [Fact]
    public void DefaultsMatchEnvoy()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Static("d", "ROUND_ROBIN", Ep("10.0.0.1")), "c");
        Assert.Equal(UpstreamHttpProtocol.Http1, cluster.Protocol);
        Assert.Equal(HttpVersion.Version11, cluster.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, cluster.VersionPolicy);
        Assert.Equal(TimeSpan.FromSeconds(5), cluster.ConnectTimeout);
        Assert.Equal(TimeSpan.FromHours(1), cluster.IdleTimeout);
        Assert.Equal(1024u * 1024, cluster.PerConnectionBufferLimitBytes);
        Assert.Equal(1024u, cluster.DefaultPriorityThresholds.MaxConnections);
        Assert.Equal(3u, cluster.HighPriorityThresholds.MaxRetries);
        Assert.Equal("envoy.cluster.static", cluster.ClusterTypeName);
        Assert.Equal("envoy.load_balancing_policies.round_robin", cluster.LbPolicyName);
        var host = Assert.Single(cluster.PrioritySet.Hosts);
        Assert.Equal("http://10.0.0.1:80", host.DestinationPrefix);
        Assert.Equal("healthy", host.HealthFlags);
    }

    [Fact]
    public void TypedProtocolOptionsSelectHttp2AndIdleTimeout()
    {
        using var manager = Manager();
        var cluster = manager.AddOrUpdateCluster(Cluster("""
            {"name":"h2","connect_timeout":"0.25s","type":"STATIC",
             "typed_extension_protocol_options":{"envoy.extensions.upstreams.http.v3.HttpProtocolOptions":{
               "@type":"type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
               "common_http_protocol_options":{"idle_timeout":"30s","max_requests_per_connection":100},
               "explicit_http_config":{"http2_protocol_options":{}}}},
             "load_assignment":{"cluster_name":"h2","endpoints":[{"lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"::1","port_value":9}}}}]}]}}
            """), "c");
        Assert.Equal(UpstreamHttpProtocol.Http2, cluster.Protocol);
        Assert.Equal(HttpVersion.Version20, cluster.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, cluster.VersionPolicy);
        Assert.Equal(TimeSpan.FromMilliseconds(250), cluster.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), cluster.IdleTimeout);
        Assert.Equal(100u, cluster.ProtocolOptions.MaxRequestsPerConnection);
        Assert.Equal("[::1]:9", cluster.PrioritySet.Hosts[0].Address);
        Assert.Equal("http://[::1]:9", cluster.PrioritySet.Hosts[0].DestinationPrefix);
    }

    [Fact]
    public void DeprecatedHttp2OptionsAndDownstreamProtocol()
    {
        using var manager = Manager();
        var h2 = Static("h2", "ROUND_ROBIN", Ep("10.0.0.1"));
        h2.Http2ProtocolOptions = new();
        Assert.Equal(UpstreamHttpProtocol.Http2, manager.AddOrUpdateCluster(h2, "c").Protocol);

        var downstream = Cluster("""
            {"name":"ds","typed_extension_protocol_options":{"envoy.extensions.upstreams.http.v3.HttpProtocolOptions":{
               "@type":"type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions","use_downstream_protocol_config":{}}}}
            """);
        var cluster = manager.AddOrUpdateCluster(downstream, "c");
        Assert.Equal(UpstreamHttpProtocol.UseDownstream, cluster.Protocol);
        Assert.Equal(HttpVersion.Version20, cluster.VersionFor(HttpVersion.Version20).Version);
        Assert.Equal(HttpVersion.Version11, cluster.VersionFor(HttpVersion.Version11).Version);
    }

    [Fact]
    public void UnknownProtocolOptionsKeyIsRejected()
    {
        using var manager = Manager();
        var config = Static("x", "ROUND_ROBIN", Ep("10.0.0.1"));
        config.TypedExtensionProtocolOptions["envoy.filters.network.bogus"] = Any.Pack(new Empty());
        var e = Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(config, "c"));
        Assert.Equal("c.typed_extension_protocol_options[\"envoy.filters.network.bogus\"]", e.FieldPath);
    }

    [Fact]
    public void StatsUseAltStatNameAndMembershipGauges()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var config = Static("web:80", "ROUND_ROBIN", Ep("10.0.0.1", weight: 5), Ep("10.0.0.2", health: "DEGRADED"), Ep("10.0.0.3", health: "UNHEALTHY"));
        var cluster = manager.AddOrUpdateCluster(config, "c");
        Assert.Equal("web_80", cluster.StatName);
        Assert.Equal(3, stats.Gauge("cluster.web_80.membership_total").Value);
        Assert.Equal(1, stats.Gauge("cluster.web_80.membership_healthy").Value);
        Assert.Equal(1, stats.Gauge("cluster.web_80.membership_degraded").Value);
        Assert.Equal(0, stats.Gauge("cluster.web_80.membership_excluded").Value);
        Assert.Equal(5, stats.Gauge("cluster.web_80.max_host_weight").Value);
        Assert.Equal(1, stats.Counter("cluster.web_80.membership_change").Value);
        Assert.Equal(1, stats.Counter("cluster_manager.cluster_added").Value);
        Assert.Equal(1, stats.Gauge("cluster_manager.active_clusters").Value);
        Assert.Equal("/failed_eds_health", cluster.PrioritySet.Hosts[2].HealthFlags);

        var alt = Static("other", "ROUND_ROBIN", Ep("10.0.0.1"));
        alt.AltStatName = "alt:name";
        Assert.Equal("alt_name", manager.AddOrUpdateCluster(alt, "c").StatName);
        Assert.Equal(1, stats.Gauge("cluster.alt_name.membership_total").Value);
    }

    [Fact]
    public void ResponseCodeCountersAreCachedHandles()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var cluster = manager.AddOrUpdateCluster(Static("r", "ROUND_ROBIN", Ep("10.0.0.1")), "c");
        cluster.Stats.RecordResponse(200);
        cluster.Stats.RecordResponse(503);
        Assert.Same(cluster.Stats.UpstreamRqCode(200), cluster.Stats.UpstreamRqCode(200));
        Assert.Equal(1, stats.Counter("cluster.r.upstream_rq_200").Value);
        Assert.Equal(1, stats.Counter("cluster.r.upstream_rq_2xx").Value);
        Assert.Equal(1, stats.Counter("cluster.r.upstream_rq_503").Value);
        Assert.Equal(1, stats.Counter("cluster.r.upstream_rq_5xx").Value);
        Assert.Equal(2, stats.Counter("cluster.r.upstream_rq_completed").Value);
    }

    [Fact]
    public void ReplaceAndRemoveUpdateTheSnapshot()
    {
        var stats = new StatsStore();
        using var manager = Manager(stats);
        var first = manager.AddOrUpdateCluster(Static("a", "ROUND_ROBIN", Ep("10.0.0.1")), "c");
        Assert.Same(first, manager.AddOrUpdateCluster(Static("a", "ROUND_ROBIN", Ep("10.0.0.1")), "c"));
        var second = manager.AddOrUpdateCluster(Static("a", "RANDOM", Ep("10.0.0.1")), "c");
        Assert.NotSame(first, second);
        Assert.Same(second, manager.Get("a"));
        Assert.Equal(1, stats.Counter("cluster_manager.cluster_modified").Value);
        Assert.Single(manager.Clusters);
        Assert.True(manager.RemoveCluster("a"));
        Assert.False(manager.RemoveCluster("a"));
        Assert.Null(manager.Get("a"));
        Assert.Equal(1, stats.Counter("cluster_manager.cluster_removed").Value);
        Assert.Equal(0, stats.Gauge("cluster_manager.active_clusters").Value);
    }

    [Fact]
    public void BadUpdateKeepsTheCurrentCluster()
    {
        using var manager = Manager();
        var good = manager.AddOrUpdateCluster(Static("a", "ROUND_ROBIN", Ep("10.0.0.1")), "c");
        Assert.Throws<ConfigException>(() => manager.AddOrUpdateCluster(Static("a", "MAGLEV", Ep("10.0.0.1")), "c"));
        Assert.Same(good, manager.Get("a"));
    }
}
