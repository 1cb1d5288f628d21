namespace Legate.Admin.Dashboard;

/// <summary>
/// One sampler tick: request rates over the tick (per second) and latency percentiles over a short
/// trailing window. Name arrays are shared between consecutive samples while the set of HCMs and
/// clusters does not change.
/// </summary>
internal sealed class DashboardSample
{
    public required long Sequence { get; init; }

    public required long UnixMs { get; init; }

    /// <summary>Length of the tick in seconds (timers drift; rate × seconds is the count).</summary>
    public required double Seconds { get; init; }

    /// <summary>HCM stat prefixes (the admin's own excluded), index-aligned with <see cref="HcmRates"/>.</summary>
    public required string[] HcmNames { get; init; }

    /// <summary>Downstream requests per second per HCM.</summary>
    public required double[] HcmRates { get; init; }

    /// <summary>downstream_rq_1xx … 5xx per second, summed over the HCMs.</summary>
    public required double[] CodeClassRates { get; init; }

    /// <summary>Cluster names, index-aligned with <see cref="ClusterRates"/>.</summary>
    public required string[] ClusterNames { get; init; }

    /// <summary>Upstream requests per second per cluster.</summary>
    public required double[] ClusterRates { get; init; }

    /// <summary>Upstream 5xx responses per second per cluster.</summary>
    public required double[] ClusterErrorRates { get; init; }

    /// <summary>Downstream request time P50, P90, P99 (ms); NaN when the window saw no request.</summary>
    public required double[] DownstreamLatency { get; init; }

    /// <summary>Upstream request time P50, P90, P99 (ms); NaN when the window saw no request.</summary>
    public required double[] UpstreamLatency { get; init; }
}
