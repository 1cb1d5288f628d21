using Legate.Stats;

namespace Legate.Xds.Grpc;

/// <summary>
/// Envoy's <c>control_plane.</c> stats of one xDS stream: connected_state (1 while the stream is up),
/// rate_limit_enforced, pending_requests and the identifier text readout from the server's responses.
/// </summary>
internal sealed class ControlPlaneStats
{
    public ControlPlaneStats(StatsScope parent)
    {
        var scope = parent.Scope("control_plane.");
        ConnectedState = scope.Gauge("connected_state", GaugeImportMode.NeverImport);
        RateLimitEnforced = scope.Counter("rate_limit_enforced");
        PendingRequests = scope.Gauge("pending_requests");
        Identifier = scope.TextReadout("identifier");
    }

    public Gauge ConnectedState { get; }

    public Counter RateLimitEnforced { get; }

    public Gauge PendingRequests { get; }

    public TextReadout Identifier { get; }
}
