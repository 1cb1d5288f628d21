using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Hcm = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Tests.Config;

public class ConfigParserTests
{
    private static Cluster ParseCluster(string yaml, ConfigLoadOptions? options = null) =>
        ConfigParser.ParseYaml<Cluster>(yaml, options ?? ConfigLoadOptions.Strict);

    private static ConfigException Fails(Action action) => Assert.Throws<ConfigException>(action);

    [Theory]
    [InlineData("round_robin")]
    [InlineData("Round_Robin")]
    [InlineData("ROUND_ROBIN")]
    [InlineData("0")]
    public void EnumsMatchCaseInsensitively(string value)
    {
        var cluster = ParseCluster("name: c\nlb_policy: " + value + "\n");
        Assert.Equal(Cluster.Types.LbPolicy.RoundRobin, cluster.LbPolicy);
    }

    [Fact]
    public void EnumNameInAnyCaseSelectsTheRightValue()
    {
        Assert.Equal(Cluster.Types.LbPolicy.LeastRequest, ParseCluster("lb_policy: least_request").LbPolicy);
    }

    [Fact]
    public void UnknownEnumValueNamesPathAndValue()
    {
        var yaml = "static_resources:\n  clusters:\n  - name: a\n  - name: b\n    lb_policy: ROUND_ROBINN\n";
        var e = Fails(() => ConfigParser.ParseYaml<Bootstrap>(yaml, ConfigLoadOptions.Strict));
        Assert.Equal("static_resources.clusters[1].lb_policy: unknown value \"ROUND_ROBINN\"", e.Message);
        Assert.Equal("static_resources.clusters[1].lb_policy", e.FieldPath);
    }

    [Fact]
    public void CamelCaseKeysAreAcceptedAndPathsUseProtoNames()
    {
        var e = Fails(() => ParseCluster("name: c\nlbPolicy: nope\n"));
        Assert.Equal("lb_policy: unknown value \"nope\"", e.Message);
        Assert.Equal(Cluster.Types.LbPolicy.Maglev, ParseCluster("lbPolicy: MAGLEV").LbPolicy);
    }

    [Fact]
    public void SameFieldUnderBothNamesIsAnError()
    {
        var e = Fails(() => ParseCluster("lb_policy: MAGLEV\nlbPolicy: RANDOM\n"));
        Assert.Equal("lb_policy", e.FieldPath);
    }

    [Fact]
    public void UnknownFieldIsAnErrorNamingIt()
    {
        var e = Fails(() => ParseCluster("name: c\nload_assignment:\n  cluster_name: c\n  bogus: 1\n"));
        Assert.Equal("load_assignment.bogus: unknown field", e.Message);
    }

    [Fact]
    public void AllowUnknownFieldsDropsThemAndReportsEachPath()
    {
        var seen = new List<string>();
        var options = new ConfigLoadOptions { AllowUnknownFields = true, OnUnknownField = seen.Add };
        var cluster = ParseCluster("name: c\nbogus: 1\nload_assignment:\n  cluster_name: c\n  other: {x: 1}\n", options);
        Assert.Equal("c", cluster.Name);
        Assert.Equal("c", cluster.LoadAssignment.ClusterName);
        Assert.Equal(new[] { "bogus", "load_assignment.other" }, seen);
    }

    [Theory]
    [InlineData("0.25s", 0, 250_000_000)]
    [InlineData("5s", 5, 0)]
    [InlineData("-1.5s", -1, -500_000_000)]
    [InlineData("1.000000001s", 1, 1)]
    public void DurationsParse(string text, long seconds, int nanos)
    {
        var cluster = ParseCluster("connect_timeout: " + text);
        Assert.Equal(new Duration { Seconds = seconds, Nanos = nanos }, cluster.ConnectTimeout);
    }

    [Theory]
    [InlineData("5", "invalid duration \"5\"")]
    [InlineData("250ms", "invalid duration \"250ms\"")]
    [InlineData("1.5", "invalid duration \"1.5\"")]
    [InlineData("1.0000000001s", "invalid duration \"1.0000000001s\"")]
    [InlineData("{seconds: 1}", "expected a duration string such as \"5s\" or \"0.25s\", got object")]
    public void BadDurationsNameThePath(string text, string detail)
    {
        var e = Fails(() => ParseCluster("connect_timeout: " + text));
        Assert.Equal("connect_timeout: " + detail, e.Message);
    }

    [Fact]
    public void YamlScalarsReachTypedFields()
    {
        var cluster = ParseCluster("respect_dns_ttl: yes\nper_connection_buffer_limit_bytes: 007\nmax_requests_per_connection: \"8080\"\n");
        Assert.True(cluster.RespectDnsTtl);
        Assert.Equal(7u, cluster.PerConnectionBufferLimitBytes);
        Assert.Equal(8080u, cluster.MaxRequestsPerConnection);
    }

    [Fact]
    public void HugeIntegersReachUint64Fields()
    {
        var memory = ConfigParser.ParseYaml<Envoy.Admin.V3.Memory>("allocated: 18446744073709551615\nheap_size: 0x10\n", ConfigLoadOptions.Strict);
        Assert.Equal(ulong.MaxValue, memory.Allocated);
        Assert.Equal(16ul, memory.HeapSize);
    }

    [Theory]
    [InlineData("per_connection_buffer_limit_bytes: 4294967296", "per_connection_buffer_limit_bytes: value 4294967296 is out of range for uint32")]
    [InlineData("per_connection_buffer_limit_bytes: -1", "per_connection_buffer_limit_bytes: value -1 is out of range for uint32")]
    [InlineData("per_connection_buffer_limit_bytes: 1.5", "per_connection_buffer_limit_bytes: expected an integer, got string \"1.5\"")]
    [InlineData("per_connection_buffer_limit_bytes: {value: 1}", "per_connection_buffer_limit_bytes: expected an integer, got object")]
    [InlineData("respect_dns_ttl: \"true\"", "respect_dns_ttl: expected a bool, got string \"true\"")]
    [InlineData("name: 123", "name: expected a string, got number 123")]
    [InlineData("name: [a]", "name: expected a string, got list")]
    [InlineData("load_assignment: x", "load_assignment: expected an object, got string \"x\"")]
    [InlineData("health_checks: {}", "health_checks: expected a list, got object")]
    [InlineData("lb_policy: true", "lb_policy: expected an enum name or number, got bool true")]
    [InlineData("health_checks: [~]", "health_checks[0]: null is not allowed in a list or map")]
    public void WrongKindsGiveClearMessages(string yaml, string message)
    {
        Assert.Equal(message, Fails(() => ParseCluster(yaml)).Message);
    }

    [Fact]
    public void NullMeansUnset()
    {
        var cluster = ParseCluster("name: c\nload_assignment:\nconnect_timeout: ~\n");
        Assert.Null(cluster.LoadAssignment);
        Assert.Null(cluster.ConnectTimeout);
    }

    [Fact]
    public void OneofWithTwoMembersNamesBoth()
    {
        var e = Fails(() => ParseCluster("name: c\ntype: STATIC\ncluster_type: {name: x}\n"));
        Assert.Equal("only one of \"type\" and \"cluster_type\" may be set (oneof \"cluster_discovery_type\")", e.Message);
    }

    [Fact]
    public void StructMetadataKeepsJsonTypes()
    {
        var cluster = ParseCluster("metadata:\n  filter_metadata:\n    envoy.lb: {canary: true, weight: 5, v: '1'}\n");
        var fields = cluster.Metadata.FilterMetadata["envoy.lb"].Fields;
        Assert.True(fields["canary"].BoolValue);
        Assert.Equal(5, fields["weight"].NumberValue);
        Assert.Equal("1", fields["v"].StringValue);
    }

    [Fact]
    public void MapOfAnysIsNormalisedPerEntry()
    {
        const string yaml = """
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                bogus: 1
            """;
        var e = Fails(() => ParseCluster(yaml));
        Assert.Equal("typed_extension_protocol_options[\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\"].bogus: unknown field", e.Message);
    }

    [Fact]
    public void KnownAnyIsParsedAndErrorsInsideKeepThePath()
    {
        const string yaml = """
            name: l
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  codec_type: auto
                  route_config:
                    virtual_hosts:
                    - name: vh
                      domains: ["*"]
                      routes:
                      - match: {prefix: "/"}
                        route: {cluster: c, timeout: 5}
            """;
        var e = Fails(() => ConfigParser.ParseYaml<Listener>(yaml, ConfigLoadOptions.Strict));
        Assert.Equal("filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.timeout: invalid duration \"5\"", e.Message);

        var listener = ConfigParser.ParseYaml<Listener>(yaml.Replace("timeout: 5", "timeout: 5s"), ConfigLoadOptions.Strict);
        var hcm = listener.FilterChains[0].Filters[0].TypedConfig.Unpack<Hcm>();
        Assert.Equal("ingress", hcm.StatPrefix);
        Assert.Equal(Hcm.Types.CodecType.Auto, hcm.CodecType);
        Assert.Equal(5, hcm.RouteConfig.VirtualHosts[0].Routes[0].Route_.Timeout.Seconds);
    }

    [Fact]
    public void UnknownAnyTypeIsKeptWithItsTypeUrl()
    {
        const string yaml = """
            name: l
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  http_filters:
                  - name: envoy.filters.http.nonexistent
                    is_optional: true
                    typed_config:
                      "@type": type.googleapis.com/example.NoSuchFilter
                      anything: [goes, here]
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
            - filters:
              - name: unknown.network
                typed_config: {"@type": "example.com/other.Thing"}
            """;
        var listener = ConfigParser.ParseYaml<Listener>(yaml, ConfigLoadOptions.Strict);
        var hcm = listener.FilterChains[0].Filters[0].TypedConfig.Unpack<Hcm>();
        var optional = hcm.HttpFilters[0];
        Assert.True(optional.IsOptional);
        Assert.Equal("type.googleapis.com/example.NoSuchFilter", optional.TypedConfig.TypeUrl);
        Assert.True(optional.TypedConfig.Value.IsEmpty);
        Assert.Equal("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", hcm.HttpFilters[1].TypedConfig.TypeUrl);
        Assert.Equal("example.com/other.Thing", listener.FilterChains[1].Filters[0].TypedConfig.TypeUrl);
    }

    [Fact]
    public void AnyWithoutTypeIsAnError()
    {
        var e = Fails(() => ConfigParser.ParseYaml<Listener>("filter_chains: [{filters: [{name: x, typed_config: {stat_prefix: a}}]}]", ConfigLoadOptions.Strict));
        Assert.Equal("filter_chains[0].filters[0].typed_config: missing \"@type\"", e.Message);
    }

    [Fact]
    public void WellKnownTypeInsideAnyUsesValue()
    {
        var cluster = ParseCluster("metadata:\n  typed_filter_metadata:\n    k: {'@type': type.googleapis.com/google.protobuf.Duration, value: 1s}\n");
        Assert.Equal(1, cluster.Metadata.TypedFilterMetadata["k"].Unpack<Duration>().Seconds);
        var e = Fails(() => ParseCluster("metadata:\n  typed_filter_metadata:\n    k: {'@type': type.googleapis.com/google.protobuf.Duration, value: 1}\n"));
        Assert.Equal("metadata.typed_filter_metadata[\"k\"].value: invalid duration \"1\"", e.Message);
    }

    [Fact]
    public void JsonTextParses()
    {
        var cluster = ConfigParser.ParseJson<Cluster>("{\"name\": \"c\", \"lbPolicy\": \"random\", \"connect_timeout\": \"1s\"}", ConfigLoadOptions.Strict);
        Assert.Equal("c", cluster.Name);
        Assert.Equal(Cluster.Types.LbPolicy.Random, cluster.LbPolicy);
    }

    [Fact]
    public void JsonDuplicateKeyAndSyntaxErrors()
    {
        Assert.Equal("name: duplicate key \"name\"", Fails(() => ConfigParser.ParseJson<Cluster>("{\"name\": \"a\", \"name\": \"b\"}", ConfigLoadOptions.Strict)).Message);
        Assert.StartsWith("malformed JSON at line 2 column", Fails(() => ConfigParser.ParseJson<Cluster>("{\"name\": \"a\",\n}", ConfigLoadOptions.Strict)).Message);
    }

    [Fact]
    public void RootPathPrefixesErrors()
    {
        var e = Fails(() => ConfigParser.ParseYaml<Cluster>("lb_policy: x", ConfigLoadOptions.Strict, "resources[2]"));
        Assert.Equal("resources[2].lb_policy: unknown value \"x\"", e.Message);
    }

    [Fact]
    public void EmptyDocumentIsAnEmptyMessage()
    {
        Assert.Equal(new Cluster(), ParseCluster(""));
    }

    [Fact]
    public void NonObjectDocumentIsAnError()
    {
        Assert.Equal("expected an object, got list", Fails(() => ParseCluster("- a")).Message);
    }

    [Fact]
    public void OneofMemberSetToNullDoesNotCount()
    {
        Assert.Equal(Cluster.Types.DiscoveryType.Static, ParseCluster("type: STATIC\ncluster_type: ~\n").Type);
    }

    [Fact]
    public void DiscoveryResponseResourcesAreCheckedWithTheirPaths()
    {
        const string yaml = """
            version_info: "1"
            resources:
            - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
              name: a
            - "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster
              name: b
              lb_policy: bogus
            """;
        var e = Fails(() => ConfigParser.ParseYaml<Envoy.Service.Discovery.V3.DiscoveryResponse>(yaml, ConfigLoadOptions.Strict));
        Assert.Equal("resources[1].lb_policy: unknown value \"bogus\"", e.Message);
        var response = ConfigParser.ParseYaml<Envoy.Service.Discovery.V3.DiscoveryResponse>(yaml.Replace("bogus", "random"), ConfigLoadOptions.Strict);
        Assert.Equal("b", response.Resources[1].Unpack<Cluster>().Name);
    }
}
