using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Legate.Config;

/// <summary>
/// Prints messages the way Envoy's config dumps do: proto field names, default values omitted,
/// Anys expanded (their types resolved through <see cref="ApiTypes.FindMessage"/>), pretty-printed
/// with one space per level.
/// </summary>
public static class ConfigJson
{
    private static readonly JsonSerializerOptions s_rewriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Formatters for the current ApiTypes.ResolvedRegistry; rebuilt when it grows.
    private static volatile Formatters? s_formatters;

    public static string Format(IMessage message) => Format(message, withDefaults: false);

    /// <summary>Like Envoy's always_print_primitive_fields (admin /server_info and /memory).</summary>
    public static string FormatWithDefaults(IMessage message) => Format(message, withDefaults: true);

    private static string Format(IMessage message, bool withDefaults)
    {
        // Resolving every Any type first keeps the registry down to the types this message uses.
        AnyWalker.Visit(message, ApiTypes.FindMessage, static _ => false);
        var formatters = FormattersFor(ApiTypes.ResolvedRegistry);
        var formatter = withDefaults ? formatters.WithDefaults : formatters.WithoutDefaults;
        try
        {
            return formatter.Format(message);
        }
        catch (InvalidOperationException)
        {
            // An Any whose type we do not know (kept from config, e.g. an optional filter): print it as {"@type": url}.
            return FormatWithUnresolvedAnys(message, formatter);
        }
    }

    private static Formatters FormattersFor(TypeRegistry registry)
    {
        var current = s_formatters;
        if (current is not null && ReferenceEquals(current.Registry, registry))
        {
            return current;
        }
        var settings = JsonFormatter.Settings.Default
            .WithTypeRegistry(registry)
            .WithPreserveProtoFieldNames(true)
            .WithIndentation(" ");
        current = new Formatters(
            registry,
            new JsonFormatter(settings.WithFormatDefaultValues(false)),
            new JsonFormatter(settings.WithFormatDefaultValues(true)));
        s_formatters = current;
        return current;
    }

    private static string FormatWithUnresolvedAnys(IMessage message, JsonFormatter formatter)
    {
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        var replaced = AnyWalker.Visit(copy, ApiTypes.FindMessage, any =>
        {
            if (!UnresolvedAny.IsUnresolved(any, ApiTypes.FindMessage))
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
            return formatter.Format(message);
        }
        var tree = JsonNode.Parse(formatter.Format(copy));
        tree = RestoreTypeUrls(tree);
        return tree is null ? "null" : tree.ToJsonString(s_rewriteOptions);
    }

    private sealed record Formatters(TypeRegistry Registry, JsonFormatter WithoutDefaults, JsonFormatter WithDefaults);

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
