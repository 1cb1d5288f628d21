using System.Net;
using System.Text.RegularExpressions;
using Legate.Stats.Rendering;

namespace Legate.Admin.Handlers;

/// <summary>GET /stats: text (default), json, html or prometheus; filtered by usedonly, filter and type.</summary>
internal static class StatsHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/stats", "print server stats", false, request => Handle(context, request),
        [
            new("usedonly", "Only include stats that have been written by system since restart"),
            new("filter", "Regular expression (Google re2) for filtering stats"),
            new("format", "Format to use", ["html", "text", "json"]),
            new("type", "Stat types to include.", ["All", "Counters", "Histograms", "Gauges", "TextReadouts"]),
            new("histogram_buckets", "Histogram bucket display mode", ["cumulative", "disjoint", "none"]),
        ]);

    private static AdminResponse Handle(AdminContext context, AdminRequest request)
    {
        if (!TryParseSelection(request, out var selection, out var error))
        {
            return error;
        }
        context.RefreshServerGauges();
        var store = context.Server.Stats;
        switch (request.Get("format"))
        {
            case null or "text":
                return AdminResponse.Text(StatsTextRenderer.Render(store, selection, context.HistogramIntervals));
            case "json":
                return AdminResponse.Json(StatsJsonRenderer.Render(store, selection, context.HistogramIntervals));
            case "prometheus":
                return AdminResponse.Text(PrometheusStatsRenderer.Render(store, selection, request.Has("text_readouts"), context.TagExtractor));
            case "html":
                var text = StatsTextRenderer.Render(store, selection, context.HistogramIntervals);
                return AdminResponse.Html("<!DOCTYPE html>\n<html><body><pre>\n" + WebUtility.HtmlEncode(text) + "</pre></body></html>\n");
            default:
                return AdminResponse.Text("usage: /stats?format=(html|active-html|json|prometheus|text)\n\n", 404);
        }
    }

    /// <summary>Reads usedonly, filter and type; an invalid regex or type is a 400 like Envoy's.</summary>
    public static bool TryParseSelection(AdminRequest request, out StatsSelection selection, out AdminResponse error, bool textHistogramBuckets = true)
    {
        selection = new StatsSelection();
        error = AdminResponse.Text(string.Empty);
        Regex? filter = null;
        if (request.Get("filter") is { Length: > 0 } pattern)
        {
            try
            {
                filter = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                error = AdminResponse.Text("Invalid re2 regex", 400);
                return false;
            }
        }
        if (!StatsSelection.TryParseType(request.Get("type"), out var type))
        {
            error = AdminResponse.Text("invalid &type= param", 400);
            return false;
        }
        var buckets = HistogramBucketsMode.None;
        if (textHistogramBuckets && !StatsSelection.TryParseHistogramBuckets(request.Get("histogram_buckets"), out buckets))
        {
            error = AdminResponse.Text("usage: /stats?histogram_buckets=(cumulative|disjoint|none)\n", 400);
            return false;
        }
        selection = new StatsSelection { UsedOnly = request.Has("usedonly"), Filter = filter, Type = type, HistogramBuckets = buckets };
        return true;
    }
}
