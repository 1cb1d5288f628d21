using Legate.AccessLog.Filters;
using Legate.Formatting;

namespace Legate.AccessLog;

/// <summary>An access logger behind its <c>filter</c>: logs only the streams the filter accepts.</summary>
public sealed class FilteredAccessLogger : IAccessLogger
{
    private readonly IAccessLogFilter _filter;
    private readonly IAccessLogger _inner;

    public FilteredAccessLogger(IAccessLogFilter filter, IAccessLogger inner)
    {
        _filter = filter;
        _inner = inner;
    }

    public IAccessLogger Inner => _inner;

    public void Log(in FormatContext context)
    {
        if (_filter.Evaluate(context))
        {
            _inner.Log(context);
        }
    }
}
