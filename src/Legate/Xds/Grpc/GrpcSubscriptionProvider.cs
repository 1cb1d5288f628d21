using Envoy.Config.Core.V3;
using Google.Protobuf;
using Legate.Config;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Grpc;

/// <summary>
/// The gRPC xDS client behind <see cref="SubscriptionFactory"/>: one ADS mux for the bootstrap's
/// ads_config (state-of-the-world or delta by its api_type), and one mux per (api_config_source, type)
/// for GRPC / DELTA_GRPC sources, shared by every subscription of that type on that source and closed
/// when the last one goes.
/// </summary>
public sealed class GrpcSubscriptionProvider : IGrpcSubscriptionProvider
{
    private const string AdsConfigPath = "dynamic_resources.ads_config";

    private readonly XdsServices _services;
    private readonly Envoy.Config.Core.V3.Node _node;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SharedMux> _perType = new(StringComparer.Ordinal);
    private IXdsMux? _ads;
    private bool _disposed;

    public GrpcSubscriptionProvider(XdsServices services)
    {
        _services = services;
        _node = XdsNode.Build(services.Bootstrap.Node, services.Server.LocalInfo);
        _logger = services.Server.LoggerFactory.CreateLogger("config");
    }

    /// <summary>Overrides every mux's reconnect backoff (tests).</summary>
    internal Func<JitteredBackoff>? BackoffOverride { get; init; }

    /// <summary>True while the ADS stream is up (false without ads_config).</summary>
    public bool AdsConnected => _ads?.Connected ?? false;

    public ISubscription CreateGrpc(ApiConfigSource source, bool delta, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path)
    {
        CheckType(typeUrl, path);
        var key = typeUrl + (delta ? "|delta|" : "|sotw|") + source.ToByteString().ToBase64();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_perType.TryGetValue(key, out var shared))
            {
                var channel = XdsChannel.Create(source, _services.Server.ClusterManager, path);
                shared = new SharedMux(NewMux(delta, Settings(channel, source, typeUrl, stats.Scope)));
                _perType.Add(key, shared);
            }
            shared.Users++;
            return new GrpcSubscription(shared.Mux, typeUrl, callbacks, stats, _ => Release(key, shared));
        }
    }

    public ISubscription CreateAds(string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path)
    {
        CheckType(typeUrl, path);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ads ??= CreateAdsMux(path);
            return new GrpcSubscription(_ads, typeUrl, callbacks, stats);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<IXdsMux> muxes = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_ads is not null)
            {
                muxes.Add(_ads);
            }
            foreach (var shared in _perType.Values)
            {
                muxes.Add(shared.Mux);
            }
            _perType.Clear();
        }
        foreach (var mux in muxes)
        {
            mux.Dispose();
        }
        foreach (var mux in muxes)
        {
            await mux.Stopped.ConfigureAwait(false);
        }
    }

    private IXdsMux CreateAdsMux(string path)
    {
        var ads = _services.Bootstrap.DynamicResources?.AdsConfig
            ?? throw new ConfigException(path, "an 'ads' config source needs dynamic_resources.ads_config in the bootstrap");
        var delta = ads.ApiType switch
        {
            ApiConfigSource.Types.ApiType.Grpc or ApiConfigSource.Types.ApiType.AggregatedGrpc => false,
            ApiConfigSource.Types.ApiType.DeltaGrpc or ApiConfigSource.Types.ApiType.AggregatedDeltaGrpc => true,
            _ => throw new ConfigException(ConfigPath.Join(AdsConfigPath, "api_type"), "ads_config must be GRPC, DELTA_GRPC, AGGREGATED_GRPC or AGGREGATED_DELTA_GRPC (is " + ads.ApiType + ")"),
        };
        var channel = XdsChannel.Create(ads, _services.Server.ClusterManager, AdsConfigPath);
        return NewMux(delta, Settings(channel, ads, null, _services.Server.Stats.Root));
    }

    private XdsMuxSettings Settings(XdsChannel channel, ApiConfigSource source, string? serviceTypeUrl, Legate.Stats.StatsScope scope) => new()
    {
        Channel = channel,
        ServiceTypeUrl = serviceTypeUrl,
        Node = _node,
        SetNodeOnFirstMessageOnly = source.SetNodeOnFirstMessageOnly,
        RateLimit = source.RateLimitSettings,
        StatsScope = scope,
        Backoff = BackoffOverride?.Invoke(),
        Logger = _logger,
    };

    private static IXdsMux NewMux(bool delta, XdsMuxSettings settings) =>
        delta ? new DeltaGrpcMux(settings) : new SotwGrpcMux(settings);

    private void Release(string key, SharedMux shared)
    {
        lock (_gate)
        {
            if (--shared.Users > 0 || !_perType.Remove(key))
            {
                return;
            }
        }
        shared.Mux.Dispose();
    }

    private static void CheckType(string typeUrl, string path)
    {
        if (!XdsMethods.IsKnown(typeUrl))
        {
            throw new ConfigException(path, "no xDS discovery service for resource type " + typeUrl);
        }
    }

    private sealed class SharedMux(IXdsMux mux)
    {
        public IXdsMux Mux { get; } = mux;

        public int Users { get; set; }
    }
}
