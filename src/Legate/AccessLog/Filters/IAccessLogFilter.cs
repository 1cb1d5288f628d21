using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary>A compiled <c>AccessLogFilter</c>: decides whether a finished stream is logged.</summary>
public interface IAccessLogFilter
{
    bool Evaluate(in FormatContext context);
}
