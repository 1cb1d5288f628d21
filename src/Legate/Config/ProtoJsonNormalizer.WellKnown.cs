using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace Legate.Config;

/// <summary>Well-known types with their own JSON forms, and Any.</summary>
internal sealed partial class ProtoJsonNormalizer
{
    private const string AnyName = "google.protobuf.Any";
    private const string TypeKey = "@type";

    private static readonly Dictionary<string, FieldType> s_wrappers = new(StringComparer.Ordinal)
    {
        ["google.protobuf.DoubleValue"] = FieldType.Double,
        ["google.protobuf.FloatValue"] = FieldType.Float,
        ["google.protobuf.Int64Value"] = FieldType.Int64,
        ["google.protobuf.UInt64Value"] = FieldType.UInt64,
        ["google.protobuf.Int32Value"] = FieldType.Int32,
        ["google.protobuf.UInt32Value"] = FieldType.UInt32,
        ["google.protobuf.BoolValue"] = FieldType.Bool,
        ["google.protobuf.StringValue"] = FieldType.String,
        ["google.protobuf.BytesValue"] = FieldType.Bytes,
    };

    // Google.Protobuf packs these into an Any as {"@type": ..., "value": <their JSON>} (its IsWellKnownType).
    private static readonly HashSet<string> s_wellKnownFiles = new(StringComparer.Ordinal)
    {
        "google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto", "google/protobuf/wrappers.proto", "google/protobuf/timestamp.proto",
        "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto", "google/protobuf/struct.proto",
        "google/protobuf/type.proto",
    };

    private static bool IsSpecialWellKnown(MessageDescriptor descriptor) => descriptor.FullName switch
    {
        AnyName or "google.protobuf.Duration" or "google.protobuf.Timestamp" or "google.protobuf.FieldMask"
            or "google.protobuf.Struct" or "google.protobuf.Value" or "google.protobuf.ListValue" => true,
        _ => s_wrappers.ContainsKey(descriptor.FullName),
    };

    private JsonNode? NormalizeWellKnown(JsonNode? node, MessageDescriptor descriptor, string path)
    {
        if (node is null)
        {
            return null;
        }
        switch (descriptor.FullName)
        {
            case AnyName:
                return NormalizeAny(node, path);
            case "google.protobuf.Duration":
                return WellKnownValues.Duration(node, path);
            case "google.protobuf.Timestamp":
                return WellKnownValues.Timestamp(node, path);
            case "google.protobuf.FieldMask":
                return JsonNodeText.Kind(node) == JsonValueKind.String ? node : throw Expected("a field mask string", node, path);
            case "google.protobuf.Struct":
                // Struct values are kept exactly as written: their JSON types are their meaning.
                return node is JsonObject ? node : throw Expected("an object", node, path);
            case "google.protobuf.ListValue":
                return node is JsonArray ? node : throw Expected("a list", node, path);
            case "google.protobuf.Value":
                return node;
            default:
                return ScalarFieldValues.Normalize(node, s_wrappers[descriptor.FullName], path);
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
            UnresolvedAnyCount++;
            return UnresolvedAny.Placeholder(typeUrl);
        }
        if (!s_wellKnownFiles.Contains(descriptor.File.Name))
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
            if (descriptor.FullName is not ("google.protobuf.Empty" or "google.protobuf.Struct"))
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
