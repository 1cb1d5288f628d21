using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary><c>not_health_check_filter</c>: drops requests answered by the health check filter.</summary>
internal sealed class NotHealthCheckFilter : IAccessLogFilter
{
    public static readonly NotHealthCheckFilter Instance = new();

    public bool Evaluate(in FormatContext context) => !context.StreamInfo.HealthCheck;
}
