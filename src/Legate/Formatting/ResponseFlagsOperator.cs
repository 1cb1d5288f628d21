using System.Text;
using Legate.Http;

namespace Legate.Formatting;

/// <summary><c>%RESPONSE_FLAGS%</c> (UH,UF) and <c>%RESPONSE_FLAGS_LONG%</c> (NoHealthyUpstream,...); <c>-</c> when none.</summary>
internal sealed class ResponseFlagsOperator : FormatOperator
{
    public static readonly ResponseFlagsOperator Short = new(useLong: false);
    public static readonly ResponseFlagsOperator Long = new(useLong: true);

    private readonly bool _useLong;

    private ResponseFlagsOperator(bool useLong) => _useLong = useLong;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        var flags = context.StreamInfo.ResponseFlags;
        if (flags == ResponseFlags.None)
        {
            // The common case stays allocation-free; flagged streams are the rare (error) path.
            output.Append(ResponseFlagNames.None);
            return true;
        }
        output.Append(_useLong ? ResponseFlagNames.ToLongString(flags) : ResponseFlagNames.ToShortString(flags));
        return true;
    }
}
