using Google.Protobuf;
using Legate.Config;

namespace Legate.Admin;

/// <summary>Admin JSON: proto field names, 1-space indent; config dumps omit defaults, a few endpoints print them.</summary>
internal static class AdminJson
{
    private static readonly JsonFormatter s_withDefaults = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(ApiTypes.Registry)
        .WithPreserveProtoFieldNames(true)
        .WithFormatDefaultValues(true)
        .WithIndentation(" "));

    public static string Format(IMessage message) => ConfigJson.Format(message);

    /// <summary>Like Envoy's always_print_primitive_fields (used by /server_info and /memory).</summary>
    public static string FormatWithDefaults(IMessage message) => s_withDefaults.Format(message);
}
