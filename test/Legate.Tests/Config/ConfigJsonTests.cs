using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Listener.V3;
using Legate.Config;

namespace Legate.Tests.Config;

public class ConfigJsonTests
{
    [Fact]
    public void FormatsWithProtoNamesOneSpaceIndentAndNoDefaults()
    {
        var cluster = ConfigParser.ParseYaml<Cluster>("name: a\nconnect_timeout: 0.25s\nlb_policy: ROUND_ROBIN\n", ConfigLoadOptions.Strict);
        var json = ConfigJson.Format(cluster);
        Assert.Equal("{\n \"name\": \"a\",\n \"connect_timeout\": \"0.250s\"\n}", json.Replace("\r\n", "\n"));
    }

    [Fact]
    public void ExpandsKnownAnys()
    {
        var bootstrap = ConfigParser.ParseFile<Bootstrap>(ConfigTestFiles.Resource("envoy_basic_front.yaml"), ConfigLoadOptions.Strict);
        var json = ConfigJson.Format(bootstrap);
        Assert.Contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\"", json);
        Assert.Contains("\"stat_prefix\": \"http\"", json);
        // What we print parses back to the same message.
        Assert.Equal(bootstrap, ConfigParser.ParseJson<Bootstrap>(json, ConfigLoadOptions.Strict));
    }

    [Fact]
    public void UnknownAnyPrintsItsTypeUrl()
    {
        var listener = ConfigParser.ParseYaml<Listener>("name: l\nfilter_chains: [{filters: [{name: x, typed_config: {'@type': type.googleapis.com/example.Nope, a: 1}}]}]\n", ConfigLoadOptions.Strict);
        var json = ConfigJson.Format(listener);
        Assert.Contains("\"@type\": \"type.googleapis.com/example.Nope\"", json);
        Assert.Contains("\n \"name\": \"l\"", json.Replace("\r\n", "\n"));
        Assert.Equal(listener, ConfigParser.ParseJson<Listener>(json, ConfigLoadOptions.Strict));
    }
}
