using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Http;
using HcmProto = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Extensions.Filters.Network.HttpConnectionManager;

/// <summary>Reads the connection manager's codec and timeout settings, applying Envoy's defaults.</summary>
internal static class HttpConnectionManagerSettingsBuilder
{
    public static HttpConnectionManagerSettings Build(HcmProto proto, string path)
    {
        if (proto.CodecType == HcmProto.Types.CodecType.Http3)
        {
            throw new ConfigException(ConfigPath.Join(path, "codec_type"), "HTTP3 is not supported");
        }
        var common = proto.CommonHttpProtocolOptions;
        var upgrades = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var upgrade in proto.UpgradeConfigs)
        {
            upgrades[upgrade.UpgradeType.ToLowerInvariant()] = upgrade.Enabled ?? true;
        }
        return new HttpConnectionManagerSettings
        {
            Codec = proto.CodecType switch
            {
                HcmProto.Types.CodecType.Http1 => CodecKind.Http1,
                HcmProto.Types.CodecType.Http2 => CodecKind.Http2,
                _ => CodecKind.Auto,
            },
            ServerName = proto.ServerName.Length > 0 ? proto.ServerName : "envoy",
            ServerHeader = proto.ServerHeaderTransformation switch
            {
                HcmProto.Types.ServerHeaderTransformation.AppendIfAbsent => ServerHeaderMode.AppendIfAbsent,
                HcmProto.Types.ServerHeaderTransformation.PassThrough => ServerHeaderMode.PassThrough,
                _ => ServerHeaderMode.Overwrite,
            },
            StreamIdleTimeout = OptionalTimeout(proto.StreamIdleTimeout, TimeSpan.FromMinutes(5)),
            RequestTimeout = OptionalTimeout(proto.RequestTimeout, null),
            RequestHeadersTimeout = OptionalTimeout(proto.RequestHeadersTimeout, null),
            IdleTimeout = OptionalTimeout(common?.IdleTimeout, TimeSpan.FromHours(1)),
            MaxStreamDuration = OptionalTimeout(common?.MaxStreamDuration, null),
            MaxConnectionDuration = OptionalTimeout(common?.MaxConnectionDuration, null),
            MaxRequestHeadersKb = proto.MaxRequestHeadersKb is { } kb ? CheckRange((int)kb, 1, 8192, ConfigPath.Join(path, "max_request_headers_kb")) : 60,
            MaxHeadersCount = common?.MaxHeadersCount is { } count ? CheckRange((int)count, 1, int.MaxValue, ConfigPath.Join(path, "common_http_protocol_options.max_headers_count")) : 100,
            NormalizePath = proto.NormalizePath ?? false,
            MergeSlashes = proto.MergeSlashes,
            AcceptHttp10 = proto.HttpProtocolOptions?.AcceptHttp10 ?? false,
            Upgrades = upgrades,
            Http2MaxConcurrentStreams = proto.Http2ProtocolOptions?.MaxConcurrentStreams is { } streams ? (int)Math.Min(streams, int.MaxValue) : int.MaxValue,
            Http2InitialStreamWindowSize = proto.Http2ProtocolOptions?.InitialStreamWindowSize is { } sw ? (int)Math.Min(sw, int.MaxValue) : null,
            Http2InitialConnectionWindowSize = proto.Http2ProtocolOptions?.InitialConnectionWindowSize is { } cw ? (int)Math.Min(cw, int.MaxValue) : null,
        };
    }

    /// <summary>Envoy's convention: unset = default, 0 = disabled.</summary>
    private static TimeSpan? OptionalTimeout(Duration? value, TimeSpan? defaultValue)
    {
        if (value is null)
        {
            return defaultValue;
        }
        var span = value.ToTimeSpan();
        return span == TimeSpan.Zero ? null : span;
    }

    private static int CheckRange(int value, int min, int max, string path)
    {
        if (value < min || value > max)
        {
            throw new ConfigException(path, "value " + value + " must be between " + min + " and " + max);
        }
        return value;
    }
}
