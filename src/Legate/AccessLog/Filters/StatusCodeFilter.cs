using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary><c>status_code_filter</c>: compares the response code (0 when none was sent).</summary>
internal sealed class StatusCodeFilter : IAccessLogFilter
{
    private readonly ComparisonOp _op;
    private readonly long _value;

    public StatusCodeFilter(ComparisonOp op, long value)
    {
        _op = op;
        _value = value;
    }

    public bool Evaluate(in FormatContext context) => Comparison.Compare(_op, context.StreamInfo.ResponseCode, _value);
}
