using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary>
/// <c>traceable_filter</c>: logs requests that are traced. Legate has no tracer yet, so no request is traced
/// and this never matches (as in Envoy without tracing configured).
/// </summary>
internal sealed class TraceableFilter : IAccessLogFilter
{
    public static readonly TraceableFilter Instance = new();

    public bool Evaluate(in FormatContext context) => false;
}
