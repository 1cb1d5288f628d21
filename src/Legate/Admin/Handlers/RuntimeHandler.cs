using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Legate.Admin.Handlers;

/// <summary>GET /runtime: <c>{"layers":[names],"entries":{"key":{"layer_values":[..],"final_value":".."}}}</c>.</summary>
internal static class RuntimeHandler
{
    private static readonly JsonWriterOptions s_options = new()
    {
        Indented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/runtime", "print runtime values", false, _ => AdminResponse.Json(Render(context.Runtime)));

    private static string Render(AdminRuntime runtime)
    {
        var (layers, entries) = runtime.Snapshot();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            w.WriteStartObject();
            w.WriteStartObject("entries");
            foreach (var (key, (layerValues, final)) in entries)
            {
                w.WriteStartObject(key);
                w.WriteString("final_value", final);
                w.WriteStartArray("layer_values");
                foreach (var v in layerValues)
                {
                    w.WriteStringValue(v);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("layers");
            foreach (var name in layers)
            {
                w.WriteStringValue(name);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
