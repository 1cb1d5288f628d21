using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Cluster.V3;
using Google.Protobuf;
using Legate.Config;
using Hcm = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Tests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    private const string TwoClusters = """
        static_resources:
          clusters:
          - name: a
            connect_timeout: 1s
            lb_policy: RANDOM
          - name: b
        """;

    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Bootstrap Load(string? path, string? yaml) => ConfigLoader.LoadBootstrap(path, yaml, ConfigLoadOptions.Strict);

    [Fact]
    public void SeedBootstrapParses()
    {
        var bootstrap = Load(ConfigTestFiles.Resource("envoy_basic_front.yaml"), null);
        Assert.Equal(8081u, bootstrap.Admin.Address.SocketAddress.PortValue);
        var listener = Assert.Single(bootstrap.StaticResources.Listeners);
        Assert.Equal("listener_0", listener.Name);
        Assert.Equal(8080u, listener.Address.SocketAddress.PortValue);
        var hcm = listener.FilterChains[0].Filters[0].TypedConfig.Unpack<Hcm>();
        Assert.Equal("http", hcm.StatPrefix);
        Assert.Equal(new[] { "httpbin.org" }, hcm.RouteConfig.VirtualHosts[1].Domains);
        Assert.Equal("httpbin", hcm.RouteConfig.VirtualHosts[1].Routes[0].Route_.Cluster);
        Assert.Equal("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", hcm.HttpFilters[0].TypedConfig.TypeUrl);
        Assert.Equal(2, bootstrap.StaticResources.Clusters.Count);
        var baidu = bootstrap.StaticResources.Clusters[0];
        Assert.Equal(250_000_000, baidu.ConnectTimeout.Nanos);
        Assert.Equal(Cluster.Types.DiscoveryType.LogicalDns, baidu.Type);
        Assert.Equal(80u, baidu.LoadAssignment.Endpoints[0].LbEndpoints[0].Endpoint.Address.SocketAddress.PortValue);
    }

    [Fact]
    public void YmlSuffixIsYaml()
    {
        Assert.Equal(2, Load(_dir.Write("b.yml", TwoClusters), null).StaticResources.Clusters.Count);
    }

    [Theory]
    [InlineData("b.json")]
    [InlineData("b.conf")]
    public void JsonAndOtherSuffixesAreJson(string name)
    {
        var path = _dir.Write(name, "{\"static_resources\": {\"clusters\": [{\"name\": \"a\", \"lb_policy\": \"maglev\"}]}}");
        Assert.Equal(Cluster.Types.LbPolicy.Maglev, Load(path, null).StaticResources.Clusters[0].LbPolicy);
        var yamlInJsonFile = _dir.Write("y" + name, TwoClusters);
        Assert.StartsWith("malformed JSON", Assert.Throws<ConfigException>(() => Load(yamlInJsonFile, null)).Message);
    }

    [Fact]
    public void PbSuffixIsBinaryProto()
    {
        var original = ConfigParser.ParseYaml<Bootstrap>(TwoClusters, ConfigLoadOptions.Strict);
        Assert.Equal(original, Load(_dir.Write("b.pb", original.ToByteArray()), null));
    }

    [Fact]
    public void PbTextIsNotSupported()
    {
        var e = Assert.Throws<ConfigException>(() => Load(_dir.Write("b.pb_text", "admin {}"), null));
        Assert.Contains("text proto format is not supported", e.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var path = Path.Combine(_dir.Root, "missing.yaml");
        var e = Assert.Throws<ConfigException>(() => Load(path, null));
        Assert.Contains(path, e.Message);
        Assert.StartsWith("unable to read file", e.Message);
    }

    [Fact]
    public void NeitherPathNorYamlIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => Load(null, ""));
        Assert.Equal("At least one of --config-path or --config-yaml should be non-empty", e.Message);
    }

    [Fact]
    public void ConfigYamlAloneIsTheBootstrap()
    {
        Assert.Equal("b", Load(null, TwoClusters).StaticResources.Clusters[1].Name);
    }

    [Fact]
    public void ConfigYamlMergesOnTop()
    {
        var path = _dir.Write("base.yaml", TwoClusters + "\nadmin:\n  address: {socket_address: {address: 127.0.0.1, port_value: 9901}}\n");
        const string overlay = """
            admin: {address: {socket_address: {port_value: 9902}}}
            static_resources: {clusters: [{name: c}]}
            """;
        var bootstrap = Load(path, overlay);
        Assert.Equal(9902u, bootstrap.Admin.Address.SocketAddress.PortValue);
        Assert.Equal("127.0.0.1", bootstrap.Admin.Address.SocketAddress.Address);
        Assert.Equal(new[] { "a", "b", "c" }, bootstrap.StaticResources.Clusters.Select(c => c.Name));
    }

    [Fact]
    public void ConfigYamlErrorsAreReported()
    {
        var path = _dir.Write("base.yaml", TwoClusters);
        var e = Assert.Throws<ConfigException>(() => Load(path, "static_resources: {clusters: [{name: c, lb_policy: x}]}"));
        Assert.Equal("static_resources.clusters[0].lb_policy: unknown value \"x\"", e.Message);
    }

    [Fact]
    public void MergedDuplicatesAreCaughtByValidation()
    {
        var path = _dir.Write("base.yaml", TwoClusters);
        var e = Assert.Throws<ConfigException>(() => Load(path, "static_resources: {clusters: [{name: a}]}"));
        Assert.Equal("static_resources.clusters[2].name: duplicate cluster name \"a\"", e.Message);
    }

    [Fact]
    public void UnknownFieldsInBootstrapAreCountedWhenAllowed()
    {
        var path = _dir.Write("b.yaml", TwoClusters + "\nnot_a_field: 1\n");
        Assert.Equal("not_a_field: unknown field", Assert.Throws<ConfigException>(() => Load(path, null)).Message);
        var count = 0;
        var bootstrap = ConfigLoader.LoadBootstrap(path, null, new ConfigLoadOptions { AllowUnknownFields = true, OnUnknownField = _ => count++ });
        Assert.Equal(1, count);
        Assert.Equal(2, bootstrap.StaticResources.Clusters.Count);
    }

    [Fact]
    public void MergeKeysWorkInBootstrap()
    {
        const string yaml = """
            static_resources:
              clusters:
              - &base
                name: a
                connect_timeout: 2s
                lb_policy: random
              - <<: *base
                name: b
            """;
        var clusters = Load(null, yaml).StaticResources.Clusters;
        Assert.Equal("b", clusters[1].Name);
        Assert.Equal(2, clusters[1].ConnectTimeout.Seconds);
        Assert.Equal(Cluster.Types.LbPolicy.Random, clusters[1].LbPolicy);
    }
}
