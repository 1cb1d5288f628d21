using Envoy.Config.Core.V3;
using Legate.Config;
using Cluster = Envoy.Config.Cluster.V3.Cluster;
using UpstreamHttpOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace Legate.Upstream.Http;

/// <summary>
/// A cluster's upstream HTTP settings, read from typed_extension_protocol_options
/// ["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] or from the deprecated cluster-level fields.
/// </summary>
public sealed class UpstreamProtocolOptions
{
    public const string ExtensionName = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    /// <summary>Envoy's default upstream idle timeout.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromHours(1);

    /// <summary>Response header block limit given to SocketsHttpHandler when the config says nothing (KiB).</summary>
    public const int DefaultMaxResponseHeadersKb = 96;

    public UpstreamHttpProtocol Protocol { get; private init; }

    /// <summary>Pooled connection idle timeout; infinite when idle_timeout is 0.</summary>
    public TimeSpan IdleTimeout { get; private init; } = DefaultIdleTimeout;

    /// <summary>max_connection_duration, mapped to the pool's connection lifetime.</summary>
    public TimeSpan? MaxConnectionDuration { get; private init; }

    /// <summary>Recorded only: SocketsHttpHandler cannot close a connection after N requests.</summary>
    public uint? MaxRequestsPerConnection { get; private init; }

    public int MaxResponseHeadersKb { get; private init; } = DefaultMaxResponseHeadersKb;

    public HttpProtocolOptions? Common { get; private init; }

    public Http1ProtocolOptions? Http1Options { get; private init; }

    public Http2ProtocolOptions? Http2Options { get; private init; }

    public static UpstreamProtocolOptions Parse(Cluster config, string path)
    {
        var protocol = UpstreamHttpProtocol.Http1;
        HttpProtocolOptions? common = config.CommonHttpProtocolOptions;
        var http1 = config.HttpProtocolOptions;
        var http2 = config.Http2ProtocolOptions;
        if (http2 is not null)
        {
            protocol = UpstreamHttpProtocol.Http2;
        }
        if (config.ProtocolSelection == Cluster.Types.ClusterProtocolSelection.UseDownstreamProtocol)
        {
            protocol = UpstreamHttpProtocol.UseDownstream;
        }

        foreach (var (key, any) in config.TypedExtensionProtocolOptions)
        {
            var entryPath = ConfigPath.Join(path, "typed_extension_protocol_options[\"" + key + "\"]");
            if (key != ExtensionName)
            {
                throw new ConfigException(entryPath, "unsupported protocol options extension '" + key + "' (supported: " + ExtensionName + ")");
            }
            // By name: Any.Is/Unpack would build the generated descriptor (see ApiSchema).
            if (Google.Protobuf.WellKnownTypes.Any.GetTypeName(any.TypeUrl) != ExtensionName)
            {
                throw new ConfigException(entryPath, "expected " + ExtensionName + " but got " + any.TypeUrl);
            }
            var options = UpstreamHttpOptions.Parser.ParseFrom(any.Value);
            common = options.CommonHttpProtocolOptions ?? common;
            switch (options.UpstreamProtocolOptionsCase)
            {
                case UpstreamHttpOptions.UpstreamProtocolOptionsOneofCase.ExplicitHttpConfig:
                    var explicitConfig = options.ExplicitHttpConfig;
                    switch (explicitConfig.ProtocolConfigCase)
                    {
                        case UpstreamHttpOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.Http2ProtocolOptions:
                            protocol = UpstreamHttpProtocol.Http2;
                            http2 = explicitConfig.Http2ProtocolOptions;
                            break;
                        case UpstreamHttpOptions.Types.ExplicitHttpConfig.ProtocolConfigOneofCase.Http3ProtocolOptions:
                            throw new ConfigException(ConfigPath.Join(entryPath, "explicit_http_config.http3_protocol_options"), "HTTP/3 upstreams are not supported");
                        default:
                            protocol = UpstreamHttpProtocol.Http1;
                            http1 = explicitConfig.HttpProtocolOptions ?? http1;
                            break;
                    }
                    break;
                case UpstreamHttpOptions.UpstreamProtocolOptionsOneofCase.UseDownstreamProtocolConfig:
                    protocol = UpstreamHttpProtocol.UseDownstream;
                    http1 = options.UseDownstreamProtocolConfig.HttpProtocolOptions ?? http1;
                    http2 = options.UseDownstreamProtocolConfig.Http2ProtocolOptions ?? http2;
                    break;
                case UpstreamHttpOptions.UpstreamProtocolOptionsOneofCase.AutoConfig:
                    protocol = UpstreamHttpProtocol.Auto;
                    http1 = options.AutoConfig.HttpProtocolOptions ?? http1;
                    http2 = options.AutoConfig.Http2ProtocolOptions ?? http2;
                    break;
            }
        }

        var idle = DefaultIdleTimeout;
        TimeSpan? maxDuration = null;
        uint? maxRequests = config.MaxRequestsPerConnection is uint m && m > 0 ? m : null;
        var headersKb = DefaultMaxResponseHeadersKb;
        if (common is not null)
        {
            if (common.IdleTimeout is not null)
            {
                var t = common.IdleTimeout.ToTimeSpan();
                idle = t <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : t;
            }
            if (common.MaxConnectionDuration is not null && common.MaxConnectionDuration.ToTimeSpan() > TimeSpan.Zero)
            {
                maxDuration = common.MaxConnectionDuration.ToTimeSpan();
            }
            if (common.MaxRequestsPerConnection is uint r && r > 0)
            {
                maxRequests = r;
            }
            if (common.MaxResponseHeadersKb is uint kb && kb > 0)
            {
                headersKb = (int)Math.Min(kb, 8192u);
            }
        }

        return new UpstreamProtocolOptions
        {
            Protocol = protocol,
            IdleTimeout = idle,
            MaxConnectionDuration = maxDuration,
            MaxRequestsPerConnection = maxRequests,
            MaxResponseHeadersKb = headersKb,
            Common = common,
            Http1Options = http1,
            Http2Options = http2,
        };
    }
}
