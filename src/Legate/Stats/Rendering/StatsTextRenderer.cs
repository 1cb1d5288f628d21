using System.Globalization;
using System.Text;

namespace Legate.Stats.Rendering;

/// <summary>
/// /stats as text: text readouts (<c>name: "value"</c>), then counters and gauges merged in name order
/// (<c>name: value</c>), then histograms as Envoy's quantile summary
/// (<c>name: P0(interval,cumulative) P25(..) ... P100(..)</c>, or <c>name: No recorded values</c>).
/// </summary>
public static class StatsTextRenderer
{
    public static string Render(StatsStore store, StatsSelection selection, HistogramIntervals? intervals)
    {
        var sb = new StringBuilder();
        foreach (var t in selection.TextReadouts(store))
        {
            sb.Append(t.Name).Append(": \"").Append(t.Value).Append("\"\n");
        }
        var counters = selection.Counters(store);
        var gauges = selection.Gauges(store);
        int ci = 0, gi = 0;
        while (ci < counters.Count || gi < gauges.Count)
        {
            if (gi >= gauges.Count || (ci < counters.Count && string.CompareOrdinal(counters[ci].Name, gauges[gi].Name) <= 0))
            {
                AppendNumber(sb, counters[ci].Name, counters[ci].Value);
                ci++;
            }
            else
            {
                AppendNumber(sb, gauges[gi].Name, gauges[gi].Value);
                gi++;
            }
        }
        foreach (var h in selection.Histograms(store))
        {
            sb.Append(h.Name).Append(": ");
            if (!h.Used)
            {
                sb.Append("No recorded values\n");
                continue;
            }
            if (selection.HistogramBuckets == HistogramBucketsMode.None)
            {
                AppendQuantileSummary(sb, h, intervals);
            }
            else
            {
                AppendBucketSummary(sb, h, intervals, selection.HistogramBuckets == HistogramBucketsMode.Cumulative);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static void AppendNumber(StringBuilder sb, string name, long value) =>
        sb.Append(name).Append(": ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    // Envoy's "B<bound>(interval,cumulative)" per default bucket; cumulative mode counts samples <= bound.
    private static void AppendBucketSummary(StringBuilder sb, Histogram h, HistogramIntervals? intervals, bool cumulativeCounts)
    {
        var total = h.SnapshotBuckets();
        var interval = intervals?.IntervalBuckets(h) ?? new long[total.Length];
        long runningTotal = 0, runningInterval = 0;
        var bounds = Histogram.DefaultBuckets;
        for (var i = 0; i < bounds.Length; i++)
        {
            runningTotal = cumulativeCounts ? runningTotal + total[i] : total[i];
            runningInterval = cumulativeCounts ? runningInterval + interval[i] : interval[i];
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append('B').Append(StatNumberFormat.General(bounds[i]))
                .Append('(').Append(runningInterval.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(runningTotal.ToString(CultureInfo.InvariantCulture)).Append(')');
        }
    }

    private static void AppendQuantileSummary(StringBuilder sb, Histogram h, HistogramIntervals? intervals)
    {
        var cumulative = HistogramQuantiles.Compute(h.SnapshotBuckets());
        var interval = HistogramQuantiles.Compute(intervals?.IntervalBuckets(h) ?? []);
        for (var i = 0; i < HistogramQuantiles.SupportedPercents.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append('P').Append(StatNumberFormat.Shortest(HistogramQuantiles.SupportedPercents[i]))
                .Append('(').Append(StatNumberFormat.Shortest(interval[i]))
                .Append(',').Append(StatNumberFormat.Shortest(cumulative[i])).Append(')');
        }
    }
}
