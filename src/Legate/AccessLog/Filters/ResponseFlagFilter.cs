using Legate.Formatting;
using Legate.Http;

namespace Legate.AccessLog.Filters;

/// <summary><c>response_flag_filter</c>: any of the listed flags is set; with no list, any flag at all.</summary>
internal sealed class ResponseFlagFilter : IAccessLogFilter
{
    private readonly ResponseFlags _mask;

    public ResponseFlagFilter(ResponseFlags mask) => _mask = mask;

    public bool Evaluate(in FormatContext context)
    {
        var flags = context.StreamInfo.ResponseFlags;
        return _mask == ResponseFlags.None ? flags != ResponseFlags.None : (flags & _mask) != 0;
    }

    /// <summary>The flag with Envoy's short name <paramref name="name"/> (UH, UF, ...), or None.</summary>
    public static ResponseFlags Parse(string name)
    {
        for (var i = 0; i < 63; i++)
        {
            var flag = (ResponseFlags)(1L << i);
            if (!Enum.IsDefined(flag))
            {
                break;
            }
            if (ResponseFlagNames.ToShortString(flag) == name)
            {
                return flag;
            }
        }
        return ResponseFlags.None;
    }
}
