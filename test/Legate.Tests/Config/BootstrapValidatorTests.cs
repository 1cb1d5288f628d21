using Envoy.Config.Bootstrap.V3;
using Legate.Config;

namespace Legate.Tests.Config;

public class BootstrapValidatorTests
{
    private static ConfigException Invalid(string yaml) =>
        Assert.Throws<ConfigException>(() => BootstrapValidator.Validate(ConfigParser.ParseYaml<Bootstrap>(yaml, ConfigLoadOptions.Strict)));

    private const string Address = "address: {socket_address: {address: 127.0.0.1, port_value: 1}}";

    [Fact]
    public void DuplicateListenerName()
    {
        var e = Invalid($"static_resources:\n  listeners:\n  - {{name: x, {Address}}}\n  - {{name: other, {Address}}}\n  - {{name: x, {Address}}}\n");
        Assert.Equal("static_resources.listeners[2].name: duplicate listener name \"x\"", e.Message);
    }

    [Fact]
    public void UnnamedListenersDoNotClash()
    {
        BootstrapValidator.Validate(ConfigParser.ParseYaml<Bootstrap>($"static_resources:\n  listeners:\n  - {{{Address}}}\n  - {{{Address}}}\n", ConfigLoadOptions.Strict));
    }

    [Fact]
    public void ListenerWithoutAddress()
    {
        Assert.Equal("static_resources.listeners[0].address: listener address is required", Invalid("static_resources: {listeners: [{name: x}]}").Message);
    }

    [Fact]
    public void DuplicateClusterName()
    {
        Assert.Equal("static_resources.clusters[1].name: duplicate cluster name \"a\"", Invalid("static_resources: {clusters: [{name: a}, {name: a}]}").Message);
    }

    [Fact]
    public void ClusterWithoutName()
    {
        Assert.Equal("static_resources.clusters[1].name: cluster name is required", Invalid("static_resources: {clusters: [{name: a}, {connect_timeout: 1s}]}").Message);
    }

    [Fact]
    public void EmptyBootstrapIsValid()
    {
        BootstrapValidator.Validate(new Bootstrap());
    }
}
