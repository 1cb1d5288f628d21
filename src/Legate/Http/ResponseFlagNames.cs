using System.Text;

namespace Legate.Http;

/// <summary>Short (UH, UF, ...) and long (NoHealthyUpstream, ...) renderings of <see cref="ResponseFlags"/>.</summary>
public static class ResponseFlagNames
{
    private static readonly string[] s_short =
    [
        "LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI", "FI", "RL", "UAEX", "RLSE", "DC", "URX", "SI", "IH",
        "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF", "DO", "DR",
    ];

    /// <summary>Envoy's text for no flags.</summary>
    public const string None = "-";

    public static string ToShortString(ResponseFlags flags) => Render(flags, useLong: false);

    public static string ToLongString(ResponseFlags flags) => Render(flags, useLong: true);

    private static string Render(ResponseFlags flags, bool useLong)
    {
        if (flags == ResponseFlags.None)
        {
            return None;
        }
        var sb = new StringBuilder();
        for (var i = 0; i < s_short.Length; i++)
        {
            var bit = (ResponseFlags)(1L << i);
            if ((flags & bit) == 0)
            {
                continue;
            }
            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(useLong ? bit.ToString() : s_short[i]);
        }
        return sb.ToString();
    }
}
