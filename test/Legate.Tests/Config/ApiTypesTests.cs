using Google.Protobuf.Reflection;
using Legate.Config;

namespace Legate.Tests.Config;

public class ApiTypesTests
{
    [Fact]
    public void EveryApiMessageResolvesByNameToItsOwnDescriptor()
    {
        var missing = new List<string>();
        var checkedCount = 0;
        foreach (var file in ApiTypes.Files)
        {
            // Google.Protobuf's own language-feature options (package pb) never appear in a config.
            if (file.Package == "pb" || file.Package.StartsWith("pb.", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var message in file.MessageTypes)
            {
                CheckAll(message, missing, ref checkedCount);
            }
        }
        Assert.Empty(missing);
        Assert.True(checkedCount > 500, "only " + checkedCount + " messages checked");
    }

    [Theory]
    [InlineData("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        "Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager")]
    [InlineData("envoy.config.cluster.v3.Cluster.LbSubsetConfig.LbSubsetSelector",
        "Envoy.Config.Cluster.V3.Cluster+Types+LbSubsetConfig+Types+LbSubsetSelector")]
    [InlineData("google.protobuf.Struct", "Google.Protobuf.WellKnownTypes.Struct")]
    [InlineData("xds.type.matcher.v3.Matcher", "Xds.Type.Matcher.V3.Matcher")]
    public void ClassNameFollowsProtocNaming(string fullName, string clrName)
    {
        Assert.Equal(clrName, ProtocNames.ClassName(fullName));
    }

    [Theory]
    [InlineData("envoy.config.cluster.v3")]
    [InlineData("envoy.config.cluster.v3.NoSuchMessage")]
    [InlineData("Cluster")]
    [InlineData("")]
    [InlineData("envoy..v3.Cluster")]
    public void UnknownNamesResolveToNull(string fullName)
    {
        Assert.Null(ApiTypes.FindMessage(fullName));
    }

    [Fact]
    public void ResolvedRegistryGrowsWithWhatWasFound()
    {
        var name = "envoy.extensions.access_loggers.file.v3.FileAccessLog";
        var descriptor = ApiTypes.FindMessage(name);
        Assert.NotNull(descriptor);
        Assert.Same(descriptor, ApiTypes.ResolvedRegistry.Find(name));
        // Imports come along, as TypeRegistry.FromFiles adds them.
        Assert.NotNull(ApiTypes.ResolvedRegistry.Find("envoy.config.core.v3.SubstitutionFormatString"));
        Assert.NotNull(ApiTypes.ResolvedRegistry.Find("google.protobuf.StringValue"));
    }

    private static void CheckAll(MessageDescriptor message, List<string> missing, ref int checkedCount)
    {
        // Map entries have no generated class and never appear in a type URL.
        if (message.ClrType is not null)
        {
            checkedCount++;
            if (!ReferenceEquals(ApiTypes.FindMessage(message.FullName), message))
            {
                missing.Add(message.FullName);
            }
        }
        foreach (var nested in message.NestedTypes)
        {
            CheckAll(nested, missing, ref checkedCount);
        }
    }
}
