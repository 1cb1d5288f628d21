using Envoy.Config.Core.V3;

namespace Legate.Xds;

/// <summary>
/// The gRPC side of <see cref="SubscriptionFactory"/>: per-type streams (api_config_source GRPC and
/// DELTA_GRPC) and the bootstrap's single ADS stream (<c>ads: {}</c>). Implemented under Xds/Grpc/ and
/// created through <see cref="GrpcSubscriptionProviders"/>.
/// </summary>
/// <remarks>
/// Contract with the factory: it validates nothing about gRPC beyond api_type; the provider validates
/// grpc_services (exactly one, envoy_grpc cluster) and throws <see cref="Config.ConfigException"/> under
/// <c>path</c>. The factory wraps <c>callbacks</c> with initial_fetch_timeout handling (init_fetch_timeout
/// and OnConfigUpdateFailed(FetchTimedOut)), so providers must not implement that timer themselves.
/// Providers count update_attempt/success/failure/rejected/version/version_text/update_time on
/// <c>stats</c>; a <see cref="Config.ConfigException"/> thrown by a callback is a NACK (update_rejected,
/// error_detail = its message) and the provider then calls OnConfigUpdateFailed(UpdateRejected, ex).
/// SotW subscriptions with explicit names (RDS, EDS) deliver only the resources named in the interest.
/// </remarks>
public interface IGrpcSubscriptionProvider : IAsyncDisposable
{
    /// <summary>A dedicated stream per (config source, type): api_type GRPC (<paramref name="delta"/> false) or DELTA_GRPC (true).</summary>
    ISubscription CreateGrpc(ApiConfigSource source, bool delta, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path);

    /// <summary>A subscription multiplexed on the bootstrap's ads_config stream; throws ConfigException under <paramref name="path"/> when the bootstrap has no ads_config.</summary>
    ISubscription CreateAds(string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path);
}
