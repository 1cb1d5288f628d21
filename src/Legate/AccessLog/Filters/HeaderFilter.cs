using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary><c>header_filter</c>: the request headers match a route <c>HeaderMatcher</c>.</summary>
internal sealed class HeaderFilter : IAccessLogFilter
{
    private readonly HeaderMatcher _matcher;

    public HeaderFilter(HeaderMatcher matcher) => _matcher = matcher;

    public bool Evaluate(in FormatContext context) => _matcher.Matches(context);
}
