namespace Legate.Xds.Rest;

/// <summary>
/// The REST-JSON endpoint of each resource type: the HTTP mapping of the discovery services' unary
/// <c>Fetch*</c> methods (<c>POST /v3/discovery:&lt;type&gt;</c>), which is what REST management servers serve.
/// </summary>
internal static class RestPaths
{
    /// <summary>The request path for <paramref name="typeUrl"/>, or null when the type has no REST mapping.</summary>
    public static string? For(string typeUrl) => typeUrl switch
    {
        "type.googleapis.com/envoy.config.listener.v3.Listener" => "/v3/discovery:listeners",
        "type.googleapis.com/envoy.config.route.v3.RouteConfiguration" => "/v3/discovery:routes",
        "type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration" => "/v3/discovery:scoped-routes",
        "type.googleapis.com/envoy.config.cluster.v3.Cluster" => "/v3/discovery:clusters",
        "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment" => "/v3/discovery:endpoints",
        "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret" => "/v3/discovery:secrets",
        "type.googleapis.com/envoy.service.runtime.v3.Runtime" => "/v3/discovery:runtime",
        "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig" => "/v3/discovery:extension_configs",
        _ => null,
    };
}
