using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary><c>or_filter</c>: any sub-filter matching is enough (stops at the first that does).</summary>
internal sealed class OrFilter : IAccessLogFilter
{
    private readonly IAccessLogFilter[] _filters;

    public OrFilter(IAccessLogFilter[] filters) => _filters = filters;

    public bool Evaluate(in FormatContext context)
    {
        foreach (var filter in _filters)
        {
            if (filter.Evaluate(context))
            {
                return true;
            }
        }
        return false;
    }
}
