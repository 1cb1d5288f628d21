using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Legate.Config;

/// <summary>
/// Prints messages the way Envoy's config dumps do: proto field names, default values omitted,
/// Anys expanded through <see cref="ApiTypes.Registry"/>, pretty-printed with one space per level.
/// </summary>
public static class ConfigJson
{
    private static readonly JsonFormatter s_formatter = new(JsonFormatter.Settings.Default
        .WithTypeRegistry(ApiTypes.Registry)
        .WithPreserveProtoFieldNames(true)
        .WithFormatDefaultValues(false)
        .WithIndentation(" "));

    private static readonly JsonSerializerOptions s_rewriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Format(IMessage message)
    {
        try
        {
            return s_formatter.Format(message);
        }
        catch (InvalidOperationException)
        {
            // An Any whose type we do not know (kept from config, e.g. an optional filter): print it as {"@type": url}.
            return FormatWithUnresolvedAnys(message);
        }
    }

    private static string FormatWithUnresolvedAnys(IMessage message)
    {
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        var registry = ApiTypes.Registry;
        var replaced = AnyWalker.Visit(copy, registry, any =>
        {
            if (!UnresolvedAny.IsUnresolved(any, registry))
            {
                return false;
            }
            var placeholder = UnresolvedAny.PlaceholderAny(any.TypeUrl);
            any.TypeUrl = placeholder.TypeUrl;
            any.Value = placeholder.Value;
            return true;
        });
        if (!replaced)
        {
            // Not caused by an unknown Any: let the formatter's own error surface.
            return s_formatter.Format(message);
        }
        var tree = JsonNode.Parse(s_formatter.Format(copy));
        tree = RestoreTypeUrls(tree);
        return tree is null ? "null" : tree.ToJsonString(s_rewriteOptions);
    }

    private static JsonNode? RestoreTypeUrls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when UnresolvedAny.TryGetOriginal(obj, out var typeUrl):
                return new JsonObject { ["@type"] = typeUrl };
            case JsonObject obj:
                foreach (var (key, value) in new List<KeyValuePair<string, JsonNode?>>(obj))
                {
                    var restored = RestoreTypeUrls(value);
                    if (!ReferenceEquals(restored, value))
                    {
                        obj[key] = restored;
                    }
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var item = array[i];
                    var restored = RestoreTypeUrls(item);
                    if (!ReferenceEquals(restored, item))
                    {
                        array[i] = restored;
                    }
                }
                return array;
            default:
                return node;
        }
    }
}
