using System.Runtime.CompilerServices;

namespace Legate.Stats.Rendering;

/// <summary>
/// Envoy shows each histogram twice: cumulative and for the last completed stats flush interval.
/// <see cref="Flush"/> (called every stats_flush_interval) records what each histogram gained since
/// the previous flush; <see cref="IntervalBuckets"/> returns that delta.
/// </summary>
public sealed class HistogramIntervals
{
    private readonly ConditionalWeakTable<Histogram, State> _states = new();

    public void Flush(StatsStore store)
    {
        foreach (var histogram in store.Histograms)
        {
            var state = _states.GetValue(histogram, static _ => new State());
            var now = histogram.SnapshotBuckets();
            lock (state)
            {
                var interval = new long[now.Length];
                for (var i = 0; i < now.Length; i++)
                {
                    // A reset (reset_counters does not touch histograms, but be safe) restarts the baseline.
                    interval[i] = Math.Max(0, now[i] - (state.Previous is { } p ? p[i] : 0));
                }
                state.Interval = interval;
                state.Previous = now;
            }
        }
    }

    /// <summary>The samples of the last completed interval (all zero before the first flush).</summary>
    public long[] IntervalBuckets(Histogram histogram)
    {
        if (_states.TryGetValue(histogram, out var state))
        {
            lock (state)
            {
                if (state.Interval is { } interval)
                {
                    return interval;
                }
            }
        }
        return new long[Histogram.DefaultBuckets.Length + 1];
    }

    private sealed class State
    {
        public long[]? Previous;
        public long[]? Interval;
    }
}
