using System.Diagnostics;
using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary><c>duration_filter</c>: compares the stream's total duration in milliseconds.</summary>
internal sealed class DurationFilter : IAccessLogFilter
{
    private readonly ComparisonOp _op;
    private readonly long _value;

    public DurationFilter(ComparisonOp op, long value)
    {
        _op = op;
        _value = value;
    }

    public bool Evaluate(in FormatContext context)
    {
        var si = context.StreamInfo;
        if (si.StartTimestamp == 0)
        {
            return false;
        }
        var end = si.CompleteTimestamp != 0 ? si.CompleteTimestamp : Stopwatch.GetTimestamp();
        return Comparison.Compare(_op, si.MillisecondsSinceStart(end) ?? 0, _value);
    }
}
