using Google.Protobuf;
using Legate.Config;

namespace Legate.Admin;

/// <summary>Admin JSON: proto field names, 1-space indent; config dumps omit defaults, a few endpoints print them.</summary>
internal static class AdminJson
{
    public static string Format(IMessage message) => ConfigJson.Format(message);

    /// <summary>Like Envoy's always_print_primitive_fields (used by /server_info and /memory).</summary>
    public static string FormatWithDefaults(IMessage message) => ConfigJson.FormatWithDefaults(message);
}
