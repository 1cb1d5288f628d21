using Envoy.Config.Core.V3;
using Legate.Config;
using Legate.Stats;
using Legate.Upstream;
using Legate.Xds.Grpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.Tests.Xds.Grpc;

public sealed class XdsChannelTests
{
    [Fact]
    public void EnvoyGrpcNeedsAKnownCluster()
    {
        using var clusters = new ClusterManager(new StatsStore(), NullLoggerFactory.Instance);
        var source = Source(new GrpcService { EnvoyGrpc = new GrpcService.Types.EnvoyGrpc { ClusterName = "xds_cluster" } });
        var e = Assert.Throws<ConfigException>(() => XdsChannel.Create(source, clusters, "dynamic_resources.ads_config"));
        Assert.Equal("dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name", e.FieldPath);
        Assert.Contains("xds_cluster", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExactlyOneGrpcService()
    {
        using var clusters = new ClusterManager(new StatsStore(), NullLoggerFactory.Instance);
        var none = Source();
        Assert.Equal("x.grpc_services", Assert.Throws<ConfigException>(() => XdsChannel.Create(none, clusters, "x")).FieldPath);
        var two = Source(Google("127.0.0.1:1"), Google("127.0.0.1:2"));
        Assert.Equal("x.grpc_services", Assert.Throws<ConfigException>(() => XdsChannel.Create(two, clusters, "x")).FieldPath);
    }

    [Fact]
    public void GoogleGrpcTargetAndBackoffFromRetryPolicy()
    {
        using var clusters = new ClusterManager(new StatsStore(), NullLoggerFactory.Instance);
        var service = Google("dns:///127.0.0.1:18000");
        service.RetryPolicy = new RetryPolicy
        {
            RetryBackOff = new BackoffStrategy { BaseInterval = global::Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) },
        };
        using var channel = XdsChannel.Create(Source(service), clusters, "x");
        Assert.Equal("dns:///127.0.0.1:18000", channel.Target);
        Assert.Equal(TimeSpan.FromSeconds(2), channel.Backoff!.BaseInterval.ToTimeSpan());
    }

    [Fact]
    public void TransportV2IsRejected()
    {
        using var clusters = new ClusterManager(new StatsStore(), NullLoggerFactory.Instance);
        var source = Source(Google("127.0.0.1:1"));
        source.TransportApiVersion = ApiVersion.V2;
        Assert.Equal("x.transport_api_version", Assert.Throws<ConfigException>(() => XdsChannel.Create(source, clusters, "x")).FieldPath);
    }

    private static ApiConfigSource Source(params GrpcService[] services)
    {
        var source = new ApiConfigSource { ApiType = ApiConfigSource.Types.ApiType.Grpc };
        source.GrpcServices.AddRange(services);
        return source;
    }

    private static GrpcService Google(string target) => new()
    {
        GoogleGrpc = new GrpcService.Types.GoogleGrpc { TargetUri = target, StatPrefix = "xds" },
    };
}
