using Envoy.Config.Core.V3;
using Legate.Stats;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Grpc;

/// <summary>What a mux is built from.</summary>
internal sealed class XdsMuxSettings
{
    public required XdsChannel Channel { get; init; }

    /// <summary>Dispose the channel with the mux.</summary>
    public bool OwnsChannel { get; init; } = true;

    /// <summary>Null for ADS; else the single type this stream carries (selects the discovery service).</summary>
    public string? ServiceTypeUrl { get; init; }

    public required Node Node { get; init; }

    public bool SetNodeOnFirstMessageOnly { get; init; }

    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>Where <c>control_plane.*</c> stats go: the root scope for ADS, the subscription's scope otherwise.</summary>
    public required StatsScope StatsScope { get; init; }

    /// <summary>Overrides the channel's backoff (tests).</summary>
    public JitteredBackoff? Backoff { get; init; }

    public required ILogger Logger { get; init; }
}
