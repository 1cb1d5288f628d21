using System.Text;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>A counter-like field of <see cref="StreamInfo"/> that always has a value (0 when nothing happened).</summary>
internal sealed class StreamInfoNumberOperator : FormatOperator
{
    private readonly Func<StreamInfo, long> _get;

    public StreamInfoNumberOperator(Func<StreamInfo, long> get) => _get = get;

    public override bool IsNumber => true;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        NumberWriter.Append(output, _get(context.StreamInfo));
        return true;
    }
}
