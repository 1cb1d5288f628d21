using Envoy.Config.Core.V3;
using Legate.Config;
using Legate.Xds.Filesystem;
using Microsoft.Extensions.Logging;

namespace Legate.Xds;

/// <summary>
/// Picks the transport for a ConfigSource: <c>path</c> / <c>path_config_source</c> → filesystem;
/// <c>api_config_source</c> GRPC / DELTA_GRPC and <c>ads</c> → the gRPC provider; REST → JSON polling (Rest/).
/// Every subscription gets Envoy's initial_fetch_timeout (default 15 s, 0 = wait forever).
/// </summary>
public sealed class SubscriptionFactory : ISubscriptionFactory, IAsyncDisposable
{
    public static readonly TimeSpan DefaultInitialFetchTimeout = TimeSpan.FromSeconds(15);

    private readonly XdsServices _services;
    private readonly IGrpcSubscriptionProvider? _grpc;
    private readonly DirectoryWatcherPool _watchers;
    private readonly ILogger _logger;
    private readonly ConfigLoadOptions _resourceOptions;

    public SubscriptionFactory(XdsServices services, IGrpcSubscriptionProvider? grpc = null)
    {
        _services = services;
        _grpc = grpc;
        _watchers = DirectoryWatcherPool.Shared;
        _logger = services.Server.LoggerFactory.CreateLogger("config");
        var unknownFields = services.Server.Stats.Counter("server.dynamic_unknown_fields");
        _resourceOptions = new ConfigLoadOptions
        {
            AllowUnknownFields = services.ResourceOptions.AllowUnknownFields,
            OnUnknownField = field =>
            {
                unknownFields.Inc();
                _logger.LogWarning("Unknown field in dynamic config ignored: {Field}", field);
            },
        };
    }

    /// <summary>Debounce of filesystem events (tests shorten it).</summary>
    public TimeSpan FileDebounce { get; init; } = FilesystemSubscription.DefaultDebounce;

    public ISubscription Create(ConfigSource source, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckApiVersion(source.ResourceApiVersion, ConfigPath.Join(path, "resource_api_version"));
        var timeout = source.InitialFetchTimeout is null ? DefaultInitialFetchTimeout : source.InitialFetchTimeout.ToTimeSpan();
        if (timeout < TimeSpan.Zero)
        {
            throw new ConfigException(ConfigPath.Join(path, "initial_fetch_timeout"), "value must be greater than or equal to 0s");
        }
        var timed = new InitialFetchTimeout(callbacks, stats, timeout, _services.Time);
        var inner = CreateTransport(source, typeUrl, timed, stats, path);
        return new TimedSubscription(inner, timed);
    }

    public async ValueTask DisposeAsync()
    {
        if (_grpc is not null)
        {
            await _grpc.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ISubscription CreateTransport(ConfigSource source, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path)
    {
        switch (source.ConfigSourceSpecifierCase)
        {
#pragma warning disable CS0612 // ConfigSource.path is deprecated but still what most configs use.
            case ConfigSource.ConfigSourceSpecifierOneofCase.Path:
                return CreateFilesystem(source.Path, null, typeUrl, callbacks, stats, ConfigPath.Join(path, "path"));
#pragma warning restore CS0612
            case ConfigSource.ConfigSourceSpecifierOneofCase.PathConfigSource:
                var pcs = source.PathConfigSource;
                var pcsPath = ConfigPath.Join(path, "path_config_source");
                var watched = pcs.WatchedDirectory?.Path;
                if (pcs.WatchedDirectory is not null && string.IsNullOrEmpty(watched))
                {
                    throw new ConfigException(ConfigPath.Join(pcsPath, "watched_directory.path"), "value length must be at least 1 characters");
                }
                if (watched is not null && !Directory.Exists(watched))
                {
                    throw new ConfigException(ConfigPath.Join(pcsPath, "watched_directory.path"), "directory '" + watched + "' does not exist");
                }
                return CreateFilesystem(pcs.Path, watched, typeUrl, callbacks, stats, ConfigPath.Join(pcsPath, "path"));
            case ConfigSource.ConfigSourceSpecifierOneofCase.ApiConfigSource:
                return CreateApi(source.ApiConfigSource, typeUrl, callbacks, stats, ConfigPath.Join(path, "api_config_source"));
            case ConfigSource.ConfigSourceSpecifierOneofCase.Ads:
                return Grpc(ConfigPath.Join(path, "ads")).CreateAds(typeUrl, callbacks, stats, ConfigPath.Join(path, "ads"));
            case ConfigSource.ConfigSourceSpecifierOneofCase.Self:
                throw new ConfigException(ConfigPath.Join(path, "self"), "'self' config sources are only valid inside a resource delivered over xDS");
            default:
                throw new ConfigException(path, "one of path, path_config_source, api_config_source or ads must be set");
        }
    }

    private FilesystemSubscription CreateFilesystem(string file, string? watchedDirectory, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path)
    {
        if (string.IsNullOrEmpty(file))
        {
            throw new ConfigException(path, "value length must be at least 1 characters");
        }
        if (!File.Exists(file) && !Directory.Exists(file))
        {
            // Envoy's wording, so operators searching for it find the same answers.
            throw new ConfigException(path, "paths must refer to an existing path in the system: '" + file + "' does not exist");
        }
        return new FilesystemSubscription(file, watchedDirectory, typeUrl, callbacks, stats, _logger, _watchers, _services.Time, _resourceOptions, FileDebounce);
    }

    private ISubscription CreateApi(ApiConfigSource api, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path)
    {
        CheckApiVersion(api.TransportApiVersion, ConfigPath.Join(path, "transport_api_version"));
        switch (api.ApiType)
        {
            case ApiConfigSource.Types.ApiType.Grpc:
                return Grpc(path).CreateGrpc(api, false, typeUrl, callbacks, stats, path);
            case ApiConfigSource.Types.ApiType.DeltaGrpc:
                return Grpc(path).CreateGrpc(api, true, typeUrl, callbacks, stats, path);
            case ApiConfigSource.Types.ApiType.Rest:
                return Rest.RestSubscriptionFactory.Create(api, typeUrl, callbacks, stats, path, _services, _resourceOptions, _logger);
            case ApiConfigSource.Types.ApiType.AggregatedGrpc:
            case ApiConfigSource.Types.ApiType.AggregatedDeltaGrpc:
                throw new ConfigException(ConfigPath.Join(path, "api_type"), "AGGREGATED_GRPC is only valid in the bootstrap's ads_config; use 'ads: {}' here");
            default:
                throw new ConfigException(ConfigPath.Join(path, "api_type"), "unsupported api_type " + api.ApiType);
        }
    }

    private IGrpcSubscriptionProvider Grpc(string path) =>
        _grpc ?? throw new ConfigException(path, "gRPC config sources need the gRPC xDS client, which this build does not include; use a path or path_config_source");

    private static void CheckApiVersion(ApiVersion version, string path)
    {
        if (version == ApiVersion.V2)
        {
            throw new ConfigException(path, "V2 xDS transport is deprecated and no longer supported; use V3");
        }
    }

    /// <summary>Starts the initial fetch timer with the subscription and stops it on dispose.</summary>
    private sealed class TimedSubscription(ISubscription inner, InitialFetchTimeout timeout) : ISubscription
    {
        public void Start(IReadOnlyCollection<string> resourceNames)
        {
            timeout.Arm();
            inner.Start(resourceNames);
        }

        public void UpdateResourceInterest(IReadOnlyCollection<string> resourceNames) => inner.UpdateResourceInterest(resourceNames);

        public void Dispose()
        {
            timeout.Dispose();
            inner.Dispose();
        }
    }
}
