using System.Globalization;

namespace Legate.Admin.Dashboard;

/// <summary>GET /dashboard (the page) and GET /dashboard/data (what the page polls every second).</summary>
internal static class DashboardHandlers
{
    public static AdminHandler[] Create(AdminContext context)
    {
        var sampler = DashboardSampler.For(context);
        return
        [
            AdminHandler.Sync("/dashboard", "live dashboard: listeners, clusters, request rates, response codes and latency", false,
                _ => AdminResponse.Html(DashboardPage.Html)),
            AdminHandler.Sync("/dashboard/data", "the dashboard's data as JSON (last ten minutes, one sample a second)", false,
                request => AdminResponse.Json(DashboardData.Render(context, sampler, ParseSince(request.Get("since")))),
                [new("since", "only samples with a higher sequence number")]),
        ];
    }

    private static long ParseSince(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var since) ? since : 0;
}
