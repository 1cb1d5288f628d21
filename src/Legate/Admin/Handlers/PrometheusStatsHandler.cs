using Legate.Stats.Rendering;

namespace Legate.Admin.Handlers;

/// <summary>GET /stats/prometheus: Prometheus text exposition of every stat.</summary>
internal static class PrometheusStatsHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/stats/prometheus", "print server stats in prometheus format", false, request =>
        {
            if (!StatsHandler.TryParseSelection(request, out var selection, out var error, textHistogramBuckets: false))
            {
                return error;
            }
            context.RefreshServerGauges();
            return AdminResponse.Text(PrometheusStatsRenderer.Render(context.Server.Stats, selection, request.Has("text_readouts"), context.TagExtractor));
        },
        [
            new("usedonly", "Only include stats that have been written by system since restart"),
            new("text_readouts", "Render text_readouts as new gaugues with value 0 (increases Prometheus data size)"),
            new("filter", "Regular expression (Google re2) for filtering stats"),
            new("histogram_buckets", "Histogram bucket display mode", ["cumulative", "summary"]),
        ]);
}
