using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Extensions;
using ExtensionRegistry = Legate.Extensions.ExtensionRegistry;

namespace Legate.Tests.Extensions;

public class ExtensionRegistryTests
{
    // Factories name their config type as a string so the proxy never builds a generated descriptor;
    // the generated descriptor (fine in a test) says whether the string and the parser agree.
    [Fact]
    public void EveryBuiltInFactoryNamesTheTypeItsParserParses()
    {
        var factories = ExtensionRegistry.CreateDefault().All.ToList();
        Assert.NotEmpty(factories);
        foreach (var factory in factories)
        {
            var message = factory.ConfigParser.ParseFrom(ByteString.Empty);
            Assert.Equal(message.Descriptor.FullName, factory.ConfigTypeName);
        }
    }

    [Fact]
    public void FactoriesAreFoundByTheTypeUrlOfTheirConfig()
    {
        var registry = ExtensionRegistry.CreateDefault();
        var router = registry.All.Single(f => f.Name == "envoy.filters.http.router");
        Assert.Same(router, registry.FindByTypeUrl<IExtensionFactory>(router.Category, "type.googleapis.com/" + router.ConfigTypeName));
        Assert.Null(registry.FindByTypeUrl<IExtensionFactory>(router.Category, "type.googleapis.com/acme.Router"));
    }

    [Fact]
    public void TypedConfigRejectsAnotherTypeWithThePath()
    {
        var router = ExtensionRegistry.CreateDefault().All.Single(f => f.Name == "envoy.filters.http.router");
        var any = Any.Pack(new Duration { Seconds = 1 });
        var e = Assert.Throws<ConfigException>(() => { TypedConfig.Unpack(any, router, "http_filters[0].typed_config"); });
        Assert.Equal("http_filters[0].typed_config: expected type envoy.extensions.filters.http.router.v3.Router, got \"type.googleapis.com/google.protobuf.Duration\"", e.Message);
    }
}
