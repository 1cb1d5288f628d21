using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Legate.Config.Schema;

namespace Legate.Config;

/// <summary>
/// A descriptor-driven pass over a JSON tree before <see cref="ProtoJsonEncoder"/> writes it. It accepts what
/// Envoy's loader accepts (case-insensitive enum names, Any types we do not know), rewrites values into one
/// canonical form, and turns every rejection into a <see cref="ConfigException"/> that names the field path
/// (<c>static_resources.clusters[1].lb_policy: unknown value "ROUND_ROBINN"</c>). The tree is rewritten in
/// place; well-known types are in the WellKnown part.
/// </summary>
internal sealed partial class ProtoJsonNormalizer
{
    private readonly Func<string, MessageSchema?> _findMessage;
    private readonly ConfigLoadOptions _options;

    public ProtoJsonNormalizer(Func<string, MessageSchema?> findMessage, ConfigLoadOptions options)
    {
        _findMessage = findMessage;
        _options = options;
    }

    /// <summary>Normalises a whole document for <paramref name="descriptor"/>; returns the tree to parse.</summary>
    public JsonNode Normalize(JsonNode? root, MessageSchema descriptor, string rootPath)
    {
        return NormalizeMessage(root ?? new JsonObject(), descriptor, rootPath) ?? new JsonObject();
    }

    /// <summary>A value for a message-typed field: an object, or a well-known type's own JSON form.</summary>
    private JsonNode? NormalizeMessage(JsonNode? node, MessageSchema descriptor, string path)
    {
        if (WellKnownTypeNames.HasOwnJsonForm(descriptor))
        {
            return NormalizeWellKnown(node, descriptor, path);
        }
        if (node is null)
        {
            return null;
        }
        if (node is not JsonObject obj)
        {
            throw Expected("an object", node, path);
        }
        NormalizeFields(obj, descriptor, path, isAnyBody: false);
        return obj;
    }

    private void NormalizeFields(JsonObject obj, MessageSchema descriptor, string path, bool isAnyBody)
    {
        Dictionary<FieldSchema, string>? seen = null;
        Dictionary<string, FieldSchema>? oneofs = null;
        // Snapshot: unknown keys are removed and values replaced while we walk.
        foreach (var (key, value) in new List<KeyValuePair<string, JsonNode?>>(obj))
        {
            if (isAnyBody && key == "@type")
            {
                continue;
            }
            if (descriptor.FindField(key) is not { } field)
            {
                DropUnknown(obj, key, path);
                continue;
            }
            var fieldPath = ConfigPath.Join(path, field.Name);
            seen ??= new Dictionary<FieldSchema, string>();
            if (!seen.TryAdd(field, key))
            {
                throw new ConfigException(fieldPath, $"field is set twice (as \"{seen[field]}\" and \"{key}\")");
            }
            if (value is null && !(field.HoldsValue && !field.IsRepeated))
            {
                // null means unset; dropping it keeps the parser from counting it as a oneof member.
                obj.Remove(key);
                continue;
            }
            var oneof = field.RealContainingOneof;
            if (oneof is not null)
            {
                oneofs ??= new Dictionary<string, FieldSchema>();
                if (oneofs.TryGetValue(oneof, out var other))
                {
                    throw new ConfigException(path, $"only one of \"{other.Name}\" and \"{field.Name}\" may be set (oneof \"{oneof}\")");
                }
                oneofs[oneof] = field;
            }
            var normalized = NormalizeField(value, field, fieldPath);
            if (!ReferenceEquals(normalized, value))
            {
                obj[key] = normalized;
            }
        }
    }

    private void DropUnknown(JsonObject obj, string key, string path)
    {
        var fieldPath = ConfigPath.Join(path, key);
        if (!_options.AllowUnknownFields)
        {
            throw new ConfigException(fieldPath, "unknown field");
        }
        obj.Remove(key);
        _options.OnUnknownField?.Invoke(fieldPath);
    }

    private JsonNode? NormalizeField(JsonNode? value, FieldSchema field, string path)
    {
        if (field.IsMap)
        {
            return NormalizeMap(value, field, path);
        }
        if (!field.IsRepeated)
        {
            return NormalizeSingle(value, field, path, inContainer: false);
        }
        if (value is null)
        {
            return null;
        }
        if (value is not JsonArray array)
        {
            throw Expected("a list", value, path);
        }
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            var normalized = NormalizeSingle(item, field, ConfigPath.Index(path, i), inContainer: true);
            if (!ReferenceEquals(normalized, item))
            {
                array[i] = normalized;
            }
        }
        return array;
    }

    private JsonNode? NormalizeMap(JsonNode? value, FieldSchema field, string path)
    {
        if (value is null)
        {
            return null;
        }
        if (value is not JsonObject obj)
        {
            throw Expected("an object (map)", value, path);
        }
        var keyField = field.MessageType.FieldByNumber(1);
        var valueField = field.MessageType.FieldByNumber(2);
        foreach (var (key, item) in new List<KeyValuePair<string, JsonNode?>>(obj))
        {
            var entryPath = path + "[\"" + key + "\"]";
            ScalarFieldValues.CheckMapKey(key, keyField.FieldType, entryPath);
            var normalized = NormalizeSingle(item, valueField, entryPath, inContainer: true);
            if (!ReferenceEquals(normalized, item))
            {
                obj[key] = normalized;
            }
        }
        return obj;
    }

    private JsonNode? NormalizeSingle(JsonNode? value, FieldSchema field, string path, bool inContainer)
    {
        var isMessage = field.FieldType is FieldType.Message or FieldType.Group;
        if (value is null)
        {
            // A null field means "unset"; inside a list or map there is nothing to unset.
            if (inContainer && !field.HoldsValue)
            {
                throw new ConfigException(path, "null is not allowed in a list or map");
            }
            return null;
        }
        if (isMessage)
        {
            return NormalizeMessage(value, field.MessageType, path);
        }
        if (field.FieldType == FieldType.Enum)
        {
            return ScalarFieldValues.Enum(value, field.EnumType, path);
        }
        return ScalarFieldValues.Normalize(value, field.FieldType, path);
    }

    private static ConfigException Expected(string what, JsonNode? got, string path) =>
        new(path, $"expected {what}, got {JsonNodeText.Describe(got)}");
}
