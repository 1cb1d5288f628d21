using Legate.Upstream;

namespace Legate.Xds.Grpc;

/// <summary>
/// Sends gRPC requests for an <c>envoy_grpc</c> service through the named cluster: a host chosen by the
/// cluster's load balancer on every new stream, the cluster's own connection pool (so the xDS cluster's
/// upstream_cx stats count these connections) and <c>:authority</c> = authority or the cluster name.
/// The cluster is looked up per stream, so a replaced cluster or a new DNS answer is picked up on reconnect.
/// </summary>
internal sealed class ClusterGrpcHandler : HttpMessageHandler
{
    private readonly ClusterManager _clusters;
    private readonly string _clusterName;
    private readonly string _authority;

    public ClusterGrpcHandler(ClusterManager clusters, string clusterName, string authority)
    {
        _clusters = clusters;
        _clusterName = clusterName;
        _authority = authority;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var cluster = _clusters.Get(_clusterName)
            ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "gRPC client cluster '" + _clusterName + "' does not exist");
        var host = cluster.ChooseHost(new LoadBalancerContext(downstreamProtocol: request.Version))
            ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "no healthy host in gRPC client cluster '" + _clusterName + "'");
        request.RequestUri = new Uri(host.DestinationPrefix + (request.RequestUri?.PathAndQuery ?? "/"));
        request.Headers.Host = _authority;
        return cluster.Invoker.SendAsync(request, cancellationToken);
    }
}
