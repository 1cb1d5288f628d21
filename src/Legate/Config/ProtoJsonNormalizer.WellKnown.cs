using System.Text.Json;
using System.Text.Json.Nodes;
using Legate.Config.Schema;

namespace Legate.Config;

/// <summary>Well-known types with their own JSON forms, and Any.</summary>
internal sealed partial class ProtoJsonNormalizer
{
    private const string TypeKey = "@type";

    private JsonNode? NormalizeWellKnown(JsonNode? node, MessageSchema descriptor, string path)
    {
        if (node is null)
        {
            return null;
        }
        switch (descriptor.FullName)
        {
            case WellKnownTypeNames.Any:
                return NormalizeAny(node, path);
            case WellKnownTypeNames.Duration:
                return WellKnownValues.Duration(node, path);
            case WellKnownTypeNames.Timestamp:
                return WellKnownValues.Timestamp(node, path);
            case WellKnownTypeNames.FieldMask:
                return JsonNodeText.Kind(node) == JsonValueKind.String ? node : throw Expected("a field mask string", node, path);
            case WellKnownTypeNames.Struct:
                // Struct values are kept exactly as written: their JSON types are their meaning.
                return node is JsonObject ? node : throw Expected("an object", node, path);
            case WellKnownTypeNames.ListValue:
                return node is JsonArray ? node : throw Expected("a list", node, path);
            case WellKnownTypeNames.Value:
                return node;
            default:
                return ScalarFieldValues.Normalize(node, WellKnownTypeNames.Wrappers[descriptor.FullName], path);
        }
    }

    private JsonNode NormalizeAny(JsonNode node, string path)
    {
        if (node is not JsonObject obj)
        {
            throw Expected("an object with \"@type\"", node, path);
        }
        if (obj.Count == 0)
        {
            return obj;
        }
        if (!obj.TryGetPropertyValue(TypeKey, out var typeNode))
        {
            throw new ConfigException(path, "missing \"@type\"");
        }
        if (JsonNodeText.Kind(typeNode) != JsonValueKind.String)
        {
            throw new ConfigException(ConfigPath.Join(path, TypeKey), $"expected a type URL string, got {JsonNodeText.Describe(typeNode)}");
        }
        var typeUrl = typeNode!.GetValue<string>();
        var slash = typeUrl.LastIndexOf('/');
        if (slash < 0 || slash == typeUrl.Length - 1)
        {
            throw new ConfigException(ConfigPath.Join(path, TypeKey), $"invalid type URL \"{typeUrl}\"");
        }
        var descriptor = _findMessage(typeUrl[(slash + 1)..]);
        if (descriptor is null)
        {
            // Not ours to reject: the component that resolves this Any decides (an optional filter is skipped).
            // Only the type URL is kept; the encoder writes an Any with an empty value.
            return new JsonObject { [TypeKey] = typeUrl };
        }
        if (!WellKnownTypeNames.Files.Contains(descriptor.FileName))
        {
            NormalizeFields(obj, descriptor, path, isAnyBody: true);
            return obj;
        }
        foreach (var (key, _) in new List<KeyValuePair<string, JsonNode?>>(obj))
        {
            if (key is not TypeKey and not "value")
            {
                DropUnknown(obj, key, path);
            }
        }
        if (!obj.TryGetPropertyValue("value", out var value))
        {
            if (descriptor.FullName is not (WellKnownTypeNames.Empty or WellKnownTypeNames.Struct))
            {
                throw new ConfigException(path, $"missing \"value\" for {descriptor.FullName}");
            }
            obj["value"] = new JsonObject();
            return obj;
        }
        var normalized = NormalizeMessage(value, descriptor, ConfigPath.Join(path, "value"));
        if (!ReferenceEquals(normalized, value))
        {
            obj["value"] = normalized;
        }
        return obj;
    }
}
