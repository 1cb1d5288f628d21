namespace Legate.Stats.Rendering;

/// <summary>
/// Envoy's supported quantiles computed from bucket counts. Our histograms keep only Envoy's default
/// bucket bounds, so a quantile is interpolated linearly inside the bucket that holds its rank.
/// </summary>
public static class HistogramQuantiles
{
    /// <summary>The quantiles Envoy reports, in percent (kept in percent so 99.5 prints exactly).</summary>
    public static readonly double[] SupportedPercents = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];

    /// <summary>One value per supported quantile; NaN for all when there are no samples.</summary>
    public static double[] Compute(long[] disjointBuckets)
    {
        var result = new double[SupportedPercents.Length];
        long total = 0;
        foreach (var c in disjointBuckets)
        {
            total += c;
        }
        if (total == 0)
        {
            Array.Fill(result, double.NaN);
            return result;
        }
        var bounds = Histogram.DefaultBuckets;
        for (var q = 0; q < SupportedPercents.Length; q++)
        {
            var rank = SupportedPercents[q] / 100 * total;
            long seen = 0;
            for (var b = 0; b < disjointBuckets.Length; b++)
            {
                var count = disjointBuckets[b];
                if (count == 0)
                {
                    continue;
                }
                if (seen + count >= rank)
                {
                    var lower = b == 0 ? 0 : bounds[b - 1];
                    // The overflow bucket has no upper bound: report its lower edge.
                    var upper = b < bounds.Length ? bounds[b] : lower;
                    var fraction = Math.Clamp((rank - seen) / count, 0, 1);
                    result[q] = lower + (upper - lower) * fraction;
                    break;
                }
                seen += count;
            }
        }
        return result;
    }
}
