using System.Text.RegularExpressions;

namespace Legate.Stats.Rendering;

/// <summary>Which stat types /stats shows (Envoy's <c>type=</c> values).</summary>
public enum StatTypeFilter
{
    All,
    Counters,
    Gauges,
    Histograms,
    TextReadouts,
}

/// <summary>How /stats text shows histograms (Envoy's <c>histogram_buckets=</c>): quantiles, or per-bucket counts.</summary>
public enum HistogramBucketsMode
{
    None,
    Cumulative,
    Disjoint,
}

/// <summary>
/// The stats one admin request asks for: <c>usedonly</c>, <c>filter</c> (a regex that must match part of
/// the name) and <c>type</c>. Produces name-sorted snapshots of the store.
/// </summary>
public sealed class StatsSelection
{
    public bool UsedOnly { get; init; }

    public Regex? Filter { get; init; }

    public StatTypeFilter Type { get; init; } = StatTypeFilter.All;

    public HistogramBucketsMode HistogramBuckets { get; init; } = HistogramBucketsMode.None;

    public static bool TryParseHistogramBuckets(string? text, out HistogramBucketsMode mode)
    {
        switch (text)
        {
            case null or "none": mode = HistogramBucketsMode.None; return true;
            case "cumulative": mode = HistogramBucketsMode.Cumulative; return true;
            case "disjoint": mode = HistogramBucketsMode.Disjoint; return true;
            default: mode = HistogramBucketsMode.None; return false;
        }
    }

    public static bool TryParseType(string? text, out StatTypeFilter type)
    {
        switch (text)
        {
            case null or "" or "All": type = StatTypeFilter.All; return true;
            case "Counters": type = StatTypeFilter.Counters; return true;
            case "Gauges": type = StatTypeFilter.Gauges; return true;
            case "Histograms": type = StatTypeFilter.Histograms; return true;
            case "TextReadouts": type = StatTypeFilter.TextReadouts; return true;
            default: type = StatTypeFilter.All; return false;
        }
    }

    public List<Counter> Counters(StatsStore store)
    {
        var list = new List<Counter>();
        if (Type is StatTypeFilter.All or StatTypeFilter.Counters)
        {
            foreach (var c in store.Counters)
            {
                if (Shows(c.Name, c.Used))
                {
                    list.Add(c);
                }
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
        return list;
    }

    public List<Gauge> Gauges(StatsStore store)
    {
        var list = new List<Gauge>();
        if (Type is StatTypeFilter.All or StatTypeFilter.Gauges)
        {
            foreach (var g in store.Gauges)
            {
                if (Shows(g.Name, g.Used))
                {
                    list.Add(g);
                }
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
        return list;
    }

    public List<Histogram> Histograms(StatsStore store)
    {
        var list = new List<Histogram>();
        if (Type is StatTypeFilter.All or StatTypeFilter.Histograms)
        {
            foreach (var h in store.Histograms)
            {
                if (Shows(h.Name, h.Used))
                {
                    list.Add(h);
                }
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
        return list;
    }

    public List<TextReadout> TextReadouts(StatsStore store)
    {
        var list = new List<TextReadout>();
        if (Type is StatTypeFilter.All or StatTypeFilter.TextReadouts)
        {
            foreach (var t in store.TextReadouts)
            {
                if (Shows(t.Name, t.Used))
                {
                    list.Add(t);
                }
            }
            list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
        return list;
    }

    private bool Shows(string name, bool used) => (!UsedOnly || used) && (Filter is null || Filter.IsMatch(name));
}
