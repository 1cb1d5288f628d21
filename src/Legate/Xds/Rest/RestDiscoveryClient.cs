using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Legate.Config;
using Legate.Upstream;

namespace Legate.Xds.Rest;

/// <summary>
/// Sends one REST-JSON DiscoveryRequest to the management server behind a static cluster: a host picked
/// by the cluster's load balancer, the cluster's own connection pool (so its upstream stats count these
/// requests), <c>host: &lt;cluster name&gt;</c> as Envoy sends, and the source's request_timeout.
/// </summary>
internal sealed class RestDiscoveryClient
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    // Envoy writes proto field names (snake_case); management servers accept both spellings anyway. The requests
    // we build carry no Any (error_detail is code + message), so the registry resolved so far is enough.
    private static readonly JsonFormatter s_formatter = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(ApiTypes.ResolvedRegistry)
        .WithPreserveProtoFieldNames(true));

    private readonly ClusterManager _clusters;
    private readonly string _clusterName;
    private readonly string _path;
    private readonly TimeSpan _timeout;

    public RestDiscoveryClient(ClusterManager clusters, string clusterName, string path, TimeSpan timeout)
    {
        _clusters = clusters;
        _clusterName = clusterName;
        _path = path;
        _timeout = timeout;
    }

    /// <summary>The cluster name and path, for logs.</summary>
    public string Target => _clusterName + _path;

    /// <summary>
    /// Returns the response body, or null for 304 Not Modified. Throws <see cref="HttpRequestException"/>
    /// when the cluster has no host or the server answers anything but 200/304, and
    /// <see cref="TimeoutException"/> when request_timeout passes.
    /// </summary>
    public async Task<string?> FetchAsync(DiscoveryRequest request, CancellationToken cancellationToken)
    {
        var cluster = _clusters.Get(_clusterName)
            ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "REST xDS cluster '" + _clusterName + "' does not exist");
        var host = cluster.ChooseHost(new LoadBalancerContext(downstreamProtocol: HttpVersion.Version11))
            ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "no healthy host in REST xDS cluster '" + _clusterName + "'");
        var (version, policy) = cluster.VersionFor(HttpVersion.Version11);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(s_formatter.Format(request)));
        content.Headers.ContentType = s_json;
        using var message = new HttpRequestMessage(HttpMethod.Post, host.DestinationPrefix + _path)
        {
            Version = version,
            VersionPolicy = policy,
            Content = content,
        };
        message.Headers.Host = _clusterName;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await cluster.Invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return null;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new HttpRequestException(
                    HttpRequestError.InvalidResponse,
                    "REST xDS server answered " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    statusCode: response.StatusCode);
            }
            return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("REST xDS request timed out after " + _timeout.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ms");
        }
    }
}
