using Envoy.Config.Core.V3;
using Legate.Server;
using Legate.Xds.Grpc;

namespace Legate.Tests.Xds.Grpc;

public sealed class XdsNodeTests
{
    [Fact]
    public void BootstrapNodeWithServiceFlagOverridesAndEnvoyUserAgent()
    {
        var bootstrap = new Node { Id = "boot-id", Cluster = "boot-cluster", Locality = new Locality { Region = "r1", Zone = "boot-zone" } };
        bootstrap.ClientFeatures.Add("envoy.lb.does_not_support_overprovisioning");
        var node = XdsNode.Build(bootstrap, new LocalInfo("flag-id", "boot-cluster", "flag-zone"));

        Assert.Equal("flag-id", node.Id);
        Assert.Equal("boot-cluster", node.Cluster);
        Assert.Equal("r1", node.Locality.Region);
        Assert.Equal("flag-zone", node.Locality.Zone);
        Assert.Equal("envoy", node.UserAgentName);
        Assert.StartsWith("legate/", node.UserAgentVersion, StringComparison.Ordinal);
        Assert.Equal(["envoy.lb.does_not_support_overprovisioning"], node.ClientFeatures);
        Assert.Equal("boot-id", bootstrap.Id);
    }

    [Fact]
    public void NoBootstrapNode()
    {
        var node = XdsNode.Build(null, LocalInfo.Empty);
        Assert.Equal(string.Empty, node.Id);
        Assert.Null(node.Locality);
        Assert.Equal("envoy", node.UserAgentName);
    }
}
