using System.Globalization;
using System.Text;

namespace Legate.Stats.Rendering;

/// <summary>
/// Prometheus text exposition 0.0.4 as Envoy writes it: families grouped by tag-extracted name and sorted,
/// counters first, then gauges, text readouts (optional, as gauges with a text_value label), histograms;
/// one <c># TYPE</c> line per family, a blank line after each family.
/// </summary>
public static class PrometheusStatsRenderer
{
    public static string Render(StatsStore store, StatsSelection selection, bool textReadouts, TagExtractor? tagExtractor = null)
    {
        var tags = tagExtractor ?? store.TagExtractor;
        var sb = new StringBuilder();
        WriteFamilies(sb, tags, selection.Counters(store), static c => c.Name, "counter",
            static (sb, name, tagged, c) => WriteSample(sb, name, tagged.Tags, null, c.Value.ToString(CultureInfo.InvariantCulture)));
        WriteFamilies(sb, tags, selection.Gauges(store), static g => g.Name, "gauge",
            static (sb, name, tagged, g) => WriteSample(sb, name, tagged.Tags, null, g.Value.ToString(CultureInfo.InvariantCulture)));
        if (textReadouts)
        {
            WriteFamilies(sb, tags, selection.TextReadouts(store), static t => t.Name, "gauge",
                static (sb, name, tagged, t) => WriteSample(sb, name, tagged.Tags, new("text_value", t.Value), "0"));
        }
        WriteFamilies(sb, tags, selection.Histograms(store), static h => h.Name, "histogram", WriteHistogram);
        return sb.ToString();
    }

    /// <summary>Envoy's metric name: <c>envoy_</c> + the tag-extracted name with every char outside [a-zA-Z0-9_] as '_'.</summary>
    public static string MetricName(string extractedName) => "envoy_" + Sanitize(extractedName);

    public static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }

    private static void WriteFamilies<T>(
        StringBuilder sb,
        TagExtractor tags,
        List<T> stats,
        Func<T, string> nameOf,
        string type,
        Action<StringBuilder, string, TaggedStatName, T> writeOne)
    {
        // Families in tag-extracted-name order, members in full-name order, both by Envoy's token order.
        var families = new SortedDictionary<string, List<(TaggedStatName Tagged, T Stat)>>(StatNameOrder.Instance);
        foreach (var stat in stats)
        {
            var tagged = tags.Extract(nameOf(stat));
            if (!families.TryGetValue(tagged.ExtractedName, out var members))
            {
                families[tagged.ExtractedName] = members = [];
            }
            members.Add((tagged, stat));
        }
        foreach (var (extracted, members) in families)
        {
            var metric = MetricName(extracted);
            members.Sort(static (a, b) => StatNameOrder.Instance.Compare(a.Tagged.Name, b.Tagged.Name));
            sb.Append("# TYPE ").Append(metric).Append(' ').Append(type).Append('\n');
            foreach (var (tagged, stat) in members)
            {
                writeOne(sb, metric, tagged, stat);
            }
            sb.Append('\n');
        }
    }

    private static void WriteSample(StringBuilder sb, string metric, IReadOnlyList<KeyValuePair<string, string>> tags, KeyValuePair<string, string>? extra, string value)
    {
        sb.Append(metric).Append('{');
        AppendLabels(sb, tags, extra);
        sb.Append("} ").Append(value).Append('\n');
    }

    private static void WriteHistogram(StringBuilder sb, string metric, TaggedStatName tagged, Histogram histogram)
    {
        var labels = new StringBuilder();
        AppendLabels(labels, tagged.Tags, null);
        var labelText = labels.ToString();
        var bucketPrefix = labelText.Length == 0 ? string.Empty : labelText + ",";
        var buckets = histogram.SnapshotBuckets();
        var bounds = Histogram.DefaultBuckets;
        long cumulative = 0;
        for (var i = 0; i < bounds.Length; i++)
        {
            cumulative += buckets[i];
            sb.Append(metric).Append("_bucket{").Append(bucketPrefix).Append("le=\"").Append(StatNumberFormat.Fixed(bounds[i]))
                .Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var count = histogram.SampleCount;
        sb.Append(metric).Append("_bucket{").Append(bucketPrefix).Append("le=\"+Inf\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(metric).Append("_sum{").Append(labelText).Append("} ").Append(StatNumberFormat.Fixed(histogram.SampleSum)).Append('\n');
        sb.Append(metric).Append("_count{").Append(labelText).Append("} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void AppendLabels(StringBuilder sb, IReadOnlyList<KeyValuePair<string, string>> tags, KeyValuePair<string, string>? extra)
    {
        var first = true;
        foreach (var tag in tags)
        {
            AppendLabel(sb, tag, ref first);
        }
        if (extra is { } e)
        {
            AppendLabel(sb, e, ref first);
        }
    }

    private static void AppendLabel(StringBuilder sb, KeyValuePair<string, string> tag, ref bool first)
    {
        if (!first)
        {
            sb.Append(',');
        }
        first = false;
        sb.Append(Sanitize(tag.Key)).Append("=\"");
        foreach (var c in tag.Value)
        {
            // Quotes, backslashes and newlines would break the exposition format.
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
