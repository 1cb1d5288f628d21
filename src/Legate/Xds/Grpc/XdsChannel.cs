using Envoy.Config.Core.V3;
using Grpc.Core;
using Metadata = Grpc.Core.Metadata;
using Grpc.Net.Client;
using Legate.Config;
using Legate.Upstream;

namespace Legate.Xds.Grpc;

/// <summary>
/// The gRPC channel to one management server, from an ApiConfigSource's single grpc_service:
/// <c>envoy_grpc</c> (through a cluster of the cluster manager) or <c>google_grpc</c> (a target URI),
/// with its initial_metadata on every stream and its reconnect backoff.
/// </summary>
internal sealed class XdsChannel : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers;

    private XdsChannel(GrpcChannel channel, Metadata headers, BackoffStrategy? backoff, string target)
    {
        _channel = channel;
        _headers = headers;
        Backoff = backoff;
        Target = target;
    }

    public CallInvoker Invoker => _channel.CreateCallInvoker();

    /// <summary>retry_policy.retry_back_off of the service, if any.</summary>
    public BackoffStrategy? Backoff { get; }

    /// <summary>The cluster name or target URI, for logs.</summary>
    public string Target { get; }

    public CallOptions CallOptions(CancellationToken cancellationToken) => new(headers: _headers, cancellationToken: cancellationToken);

    /// <summary>Validates the source's gRPC settings and builds the channel. Throws ConfigException naming the field.</summary>
    public static XdsChannel Create(ApiConfigSource source, ClusterManager clusters, string path)
    {
        if (source.TransportApiVersion == ApiVersion.V2)
        {
            throw new ConfigException(ConfigPath.Join(path, "transport_api_version"), "V2 xDS transport is not supported; use V3");
        }
        if (source.GrpcServices.Count != 1)
        {
            throw new ConfigException(ConfigPath.Join(path, "grpc_services"), "gRPC API config source must have exactly one gRPC service (has " + source.GrpcServices.Count + ")");
        }
        var servicePath = ConfigPath.Index(ConfigPath.Join(path, "grpc_services"), 0);
        var service = source.GrpcServices[0];
        var headers = new Metadata();
        for (var i = 0; i < service.InitialMetadata.Count; i++)
        {
            headers.Add(service.InitialMetadata[i].Key.ToLowerInvariant(), service.InitialMetadata[i].Value);
        }
        switch (service.TargetSpecifierCase)
        {
            case GrpcService.TargetSpecifierOneofCase.EnvoyGrpc:
                {
                    var envoyGrpc = service.EnvoyGrpc;
                    var clusterName = envoyGrpc.ClusterName;
                    if (clusterName.Length == 0)
                    {
                        throw new ConfigException(ConfigPath.Join(servicePath, "envoy_grpc.cluster_name"), "value length must be at least 1 characters");
                    }
                    if (clusters.Get(clusterName) is null)
                    {
                        throw new ConfigException(ConfigPath.Join(servicePath, "envoy_grpc.cluster_name"), "unknown gRPC client cluster '" + clusterName + "'");
                    }
                    var authority = envoyGrpc.Authority.Length > 0 ? envoyGrpc.Authority : clusterName;
                    var options = new GrpcChannelOptions
                    {
                        HttpHandler = new ClusterGrpcHandler(clusters, clusterName, authority),
                        DisposeHttpClient = true,
                        MaxReceiveMessageSize = envoyGrpc.MaxReceiveMessageLength is uint max && max > 0 ? (int)Math.Min(max, int.MaxValue) : null,
                    };
                    // The address only supplies scheme and path base; the handler picks the host per stream.
                    var channel = GrpcChannel.ForAddress("http://xds-cluster.invalid", options);
                    return new XdsChannel(channel, headers, envoyGrpc.RetryPolicy?.RetryBackOff ?? service.RetryPolicy?.RetryBackOff, clusterName);
                }
            case GrpcService.TargetSpecifierOneofCase.GoogleGrpc:
                {
                    var google = service.GoogleGrpc;
                    if (google.TargetUri.Length == 0)
                    {
                        throw new ConfigException(ConfigPath.Join(servicePath, "google_grpc.target_uri"), "value length must be at least 1 characters");
                    }
                    var secure = google.ChannelCredentials?.CredentialSpecifierCase == GrpcService.Types.GoogleGrpc.Types.ChannelCredentials.CredentialSpecifierOneofCase.SslCredentials;
                    var address = ToAddress(google.TargetUri, secure, ConfigPath.Join(servicePath, "google_grpc.target_uri"));
                    var options = new GrpcChannelOptions
                    {
                        HttpHandler = new SocketsHttpHandler
                        {
                            UseProxy = false,
                            EnableMultipleHttp2Connections = true,
                            ConnectTimeout = TimeSpan.FromSeconds(5),
                            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
                        },
                        DisposeHttpClient = true,
                        MaxReceiveMessageSize = null,
                    };
                    var channel = GrpcChannel.ForAddress(address, options);
                    return new XdsChannel(channel, headers, service.RetryPolicy?.RetryBackOff, google.TargetUri);
                }
            default:
                throw new ConfigException(servicePath, "one of envoy_grpc or google_grpc must be set");
        }
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>gRPC target syntax (<c>host:port</c>, <c>dns:///host:port</c>, <c>ipv4:a.b.c.d:port</c>) to an HTTP/2 address.</summary>
    private static Uri ToAddress(string target, bool secure, string path)
    {
        var scheme = secure ? "https://" : "http://";
        var rest = target;
        if (rest.StartsWith("dns:///", StringComparison.Ordinal))
        {
            rest = rest["dns:///".Length..];
        }
        else if (rest.StartsWith("dns:", StringComparison.Ordinal))
        {
            rest = rest["dns:".Length..];
        }
        else if (rest.StartsWith("ipv4:", StringComparison.Ordinal) || rest.StartsWith("ipv6:", StringComparison.Ordinal))
        {
            rest = rest[5..];
        }
        else if (rest.StartsWith("http://", StringComparison.Ordinal) || rest.StartsWith("https://", StringComparison.Ordinal))
        {
            scheme = string.Empty;
        }
        if (!Uri.TryCreate(scheme + rest, UriKind.Absolute, out var uri))
        {
            throw new ConfigException(path, "invalid gRPC target URI \"" + target + "\"");
        }
        return uri;
    }
}
