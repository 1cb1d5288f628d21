using System.Text;

namespace Legate.Formatting;

/// <summary><c>%START_TIME%</c> (Envoy's default ISO-8601 with milliseconds) or <c>%START_TIME(strftime)%</c>, in UTC.</summary>
internal sealed class StartTimeOperator : FormatOperator
{
    private readonly TimeFormat? _format;

    public StartTimeOperator(TimeFormat? format) => _format = format;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var start = context.StreamInfo.StartTime;
        if (start == default)
        {
            return false;
        }
        if (_format is null)
        {
            TimeFormat.AppendDefault(output, start);
        }
        else
        {
            _format.Append(output, start);
        }
        return true;
    }
}
