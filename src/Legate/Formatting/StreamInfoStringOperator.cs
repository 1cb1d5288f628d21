using System.Text;
using Legate.Http;

namespace Legate.Formatting;

/// <summary>A string field of <see cref="StreamInfo"/>; null means missing.</summary>
internal sealed class StreamInfoStringOperator : FormatOperator
{
    private readonly Func<StreamInfo, string?> _get;

    public StreamInfoStringOperator(Func<StreamInfo, string?> get) => _get = get;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var value = _get(context.StreamInfo);
        if (value is null)
        {
            return false;
        }
        output.Append(value);
        return true;
    }
}
