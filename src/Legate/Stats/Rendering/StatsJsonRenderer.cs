using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Legate.Stats.Rendering;

/// <summary>
/// /stats?format=json: <c>{"stats":[{"name":..,"value":..}, ..., {"histograms":{"supported_quantiles":[..],
/// "computed_quantiles":[{"name":..,"values":[{"cumulative":..,"interval":..}, ..]}]}}]}</c>, compact like
/// Envoy's streaming renderer; quantiles without samples are null.
/// </summary>
public static class StatsJsonRenderer
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(StatsStore store, StatsSelection selection, HistogramIntervals? intervals)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            w.WriteStartObject();
            w.WriteStartArray("stats");
            foreach (var t in selection.TextReadouts(store))
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("value", t.Value);
                w.WriteEndObject();
            }
            var counters = selection.Counters(store);
            var gauges = selection.Gauges(store);
            int ci = 0, gi = 0;
            while (ci < counters.Count || gi < gauges.Count)
            {
                string name;
                long value;
                if (gi >= gauges.Count || (ci < counters.Count && string.CompareOrdinal(counters[ci].Name, gauges[gi].Name) <= 0))
                {
                    (name, value) = (counters[ci].Name, counters[ci].Value);
                    ci++;
                }
                else
                {
                    (name, value) = (gauges[gi].Name, gauges[gi].Value);
                    gi++;
                }
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteNumber("value", value);
                w.WriteEndObject();
            }
            var histograms = selection.Histograms(store);
            if (histograms.Count > 0)
            {
                WriteHistograms(w, histograms, intervals);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteHistograms(Utf8JsonWriter w, List<Histogram> histograms, HistogramIntervals? intervals)
    {
        w.WriteStartObject();
        w.WriteStartObject("histograms");
        w.WriteStartArray("supported_quantiles");
        foreach (var q in HistogramQuantiles.SupportedPercents)
        {
            w.WriteNumberValue(q);
        }
        w.WriteEndArray();
        w.WriteStartArray("computed_quantiles");
        foreach (var h in histograms)
        {
            var cumulative = HistogramQuantiles.Compute(h.SnapshotBuckets());
            var interval = HistogramQuantiles.Compute(intervals?.IntervalBuckets(h) ?? []);
            w.WriteStartObject();
            w.WriteString("name", h.Name);
            w.WriteStartArray("values");
            for (var i = 0; i < cumulative.Length; i++)
            {
                w.WriteStartObject();
                WriteQuantile(w, "cumulative", cumulative[i]);
                WriteQuantile(w, "interval", interval[i]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteQuantile(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsNaN(value))
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, value);
        }
    }
}
