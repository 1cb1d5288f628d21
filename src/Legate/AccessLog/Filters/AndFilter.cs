using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary><c>and_filter</c>: every sub-filter must match (stops at the first that does not).</summary>
internal sealed class AndFilter : IAccessLogFilter
{
    private readonly IAccessLogFilter[] _filters;

    public AndFilter(IAccessLogFilter[] filters) => _filters = filters;

    public bool Evaluate(in FormatContext context)
    {
        foreach (var filter in _filters)
        {
            if (!filter.Evaluate(context))
            {
                return false;
            }
        }
        return true;
    }
}
