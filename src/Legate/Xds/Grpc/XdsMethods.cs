using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace Legate.Xds.Grpc;

/// <summary>
/// Which gRPC method carries a resource type: the per-type discovery services for api_config_source
/// GRPC / DELTA_GRPC, or AggregatedDiscoveryService for ADS.
/// </summary>
internal static class XdsMethods
{
    public const string Listener = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string RouteConfiguration = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public const string ScopedRouteConfiguration = "type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration";
    public const string Cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string ClusterLoadAssignment = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string Secret = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    public const string Runtime = "type.googleapis.com/envoy.service.runtime.v3.Runtime";
    public const string ExtensionConfig = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";

    public static bool IsKnown(string typeUrl) => typeUrl is Listener or RouteConfiguration or ScopedRouteConfiguration
        or Cluster or ClusterLoadAssignment or Secret or Runtime or ExtensionConfig;

    /// <summary>Opens a state-of-the-world stream; <paramref name="typeUrl"/> null means ADS.</summary>
    public static AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> OpenSotw(CallInvoker invoker, string? typeUrl, CallOptions options) => typeUrl switch
    {
        null => new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(invoker).StreamAggregatedResources(options),
        Listener => new Envoy.Service.Listener.V3.ListenerDiscoveryService.ListenerDiscoveryServiceClient(invoker).StreamListeners(options),
        RouteConfiguration => new Envoy.Service.Route.V3.RouteDiscoveryService.RouteDiscoveryServiceClient(invoker).StreamRoutes(options),
        ScopedRouteConfiguration => new Envoy.Service.Route.V3.ScopedRoutesDiscoveryService.ScopedRoutesDiscoveryServiceClient(invoker).StreamScopedRoutes(options),
        Cluster => new Envoy.Service.Cluster.V3.ClusterDiscoveryService.ClusterDiscoveryServiceClient(invoker).StreamClusters(options),
        ClusterLoadAssignment => new Envoy.Service.Endpoint.V3.EndpointDiscoveryService.EndpointDiscoveryServiceClient(invoker).StreamEndpoints(options),
        Secret => new Envoy.Service.Secret.V3.SecretDiscoveryService.SecretDiscoveryServiceClient(invoker).StreamSecrets(options),
        Runtime => new Envoy.Service.Runtime.V3.RuntimeDiscoveryService.RuntimeDiscoveryServiceClient(invoker).StreamRuntime(options),
        ExtensionConfig => new Envoy.Service.Extension.V3.ExtensionConfigDiscoveryService.ExtensionConfigDiscoveryServiceClient(invoker).StreamExtensionConfigs(options),
        _ => throw new InvalidOperationException("no discovery service for " + typeUrl),
    };

    /// <summary>Opens an incremental (delta) stream; <paramref name="typeUrl"/> null means ADS.</summary>
    public static AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse> OpenDelta(CallInvoker invoker, string? typeUrl, CallOptions options) => typeUrl switch
    {
        null => new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(invoker).DeltaAggregatedResources(options),
        Listener => new Envoy.Service.Listener.V3.ListenerDiscoveryService.ListenerDiscoveryServiceClient(invoker).DeltaListeners(options),
        RouteConfiguration => new Envoy.Service.Route.V3.RouteDiscoveryService.RouteDiscoveryServiceClient(invoker).DeltaRoutes(options),
        ScopedRouteConfiguration => new Envoy.Service.Route.V3.ScopedRoutesDiscoveryService.ScopedRoutesDiscoveryServiceClient(invoker).DeltaScopedRoutes(options),
        Cluster => new Envoy.Service.Cluster.V3.ClusterDiscoveryService.ClusterDiscoveryServiceClient(invoker).DeltaClusters(options),
        ClusterLoadAssignment => new Envoy.Service.Endpoint.V3.EndpointDiscoveryService.EndpointDiscoveryServiceClient(invoker).DeltaEndpoints(options),
        Secret => new Envoy.Service.Secret.V3.SecretDiscoveryService.SecretDiscoveryServiceClient(invoker).DeltaSecrets(options),
        Runtime => new Envoy.Service.Runtime.V3.RuntimeDiscoveryService.RuntimeDiscoveryServiceClient(invoker).DeltaRuntime(options),
        ExtensionConfig => new Envoy.Service.Extension.V3.ExtensionConfigDiscoveryService.ExtensionConfigDiscoveryServiceClient(invoker).DeltaExtensionConfigs(options),
        _ => throw new InvalidOperationException("no discovery service for " + typeUrl),
    };
}
