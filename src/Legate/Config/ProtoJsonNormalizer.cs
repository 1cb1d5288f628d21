using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

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
    private static readonly ConcurrentDictionary<MessageDescriptor, Dictionary<string, FieldDescriptor>> s_fieldIndexes = new();

    private readonly Func<string, MessageDescriptor?> _findMessage;
    private readonly ConfigLoadOptions _options;

    public ProtoJsonNormalizer(Func<string, MessageDescriptor?> findMessage, ConfigLoadOptions options)
    {
        _findMessage = findMessage;
        _options = options;
    }

    /// <summary>Normalises a whole document for <paramref name="descriptor"/>; returns the tree to parse.</summary>
    public JsonNode Normalize(JsonNode? root, MessageDescriptor descriptor, string rootPath)
    {
        return NormalizeMessage(root ?? new JsonObject(), descriptor, rootPath) ?? new JsonObject();
    }

    /// <summary>A value for a message-typed field: an object, or a well-known type's own JSON form.</summary>
    private JsonNode? NormalizeMessage(JsonNode? node, MessageDescriptor descriptor, string path)
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

    private void NormalizeFields(JsonObject obj, MessageDescriptor descriptor, string path, bool isAnyBody)
    {
        var fields = FieldIndex(descriptor);
        Dictionary<FieldDescriptor, string>? seen = null;
        Dictionary<OneofDescriptor, FieldDescriptor>? oneofs = null;
        // Snapshot: unknown keys are removed and values replaced while we walk.
        foreach (var (key, value) in new List<KeyValuePair<string, JsonNode?>>(obj))
        {
            if (isAnyBody && key == "@type")
            {
                continue;
            }
            if (!fields.TryGetValue(key, out var field))
            {
                DropUnknown(obj, key, path);
                continue;
            }
            var fieldPath = ConfigPath.Join(path, field.Name);
            seen ??= new Dictionary<FieldDescriptor, string>();
            if (!seen.TryAdd(field, key))
            {
                throw new ConfigException(fieldPath, $"field is set twice (as \"{seen[field]}\" and \"{key}\")");
            }
            if (value is null && !IsSingularValue(field))
            {
                // null means unset; dropping it keeps the parser from counting it as a oneof member.
                obj.Remove(key);
                continue;
            }
            var oneof = field.RealContainingOneof;
            if (oneof is not null)
            {
                oneofs ??= new Dictionary<OneofDescriptor, FieldDescriptor>();
                if (oneofs.TryGetValue(oneof, out var other))
                {
                    throw new ConfigException(path, $"only one of \"{other.Name}\" and \"{field.Name}\" may be set (oneof \"{oneof.Name}\")");
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

    private JsonNode? NormalizeField(JsonNode? value, FieldDescriptor field, string path)
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

    private JsonNode? NormalizeMap(JsonNode? value, FieldDescriptor field, string path)
    {
        if (value is null)
        {
            return null;
        }
        if (value is not JsonObject obj)
        {
            throw Expected("an object (map)", value, path);
        }
        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
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

    private JsonNode? NormalizeSingle(JsonNode? value, FieldDescriptor field, string path, bool inContainer)
    {
        var isMessage = field.FieldType is FieldType.Message or FieldType.Group;
        if (value is null)
        {
            // A null field means "unset"; inside a list or map there is nothing to unset.
            if (inContainer && !(isMessage && field.MessageType.FullName == WellKnownTypeNames.Value))
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

    private static bool IsSingularValue(FieldDescriptor field) =>
        !field.IsRepeated && field.FieldType == FieldType.Message && field.MessageType.FullName == WellKnownTypeNames.Value;

    private static ConfigException Expected(string what, JsonNode? got, string path) =>
        new(path, $"expected {what}, got {JsonNodeText.Describe(got)}");

    /// <summary>Proto field names and their lowerCamel JSON names, both accepted like the proto3 JSON parser does.</summary>
    internal static Dictionary<string, FieldDescriptor> FieldIndex(MessageDescriptor descriptor) =>
        s_fieldIndexes.GetOrAdd(descriptor, static d =>
        {
            var index = new Dictionary<string, FieldDescriptor>(StringComparer.Ordinal);
            foreach (var field in d.Fields.InDeclarationOrder())
            {
                index[field.Name] = field;
                index.TryAdd(field.JsonName, field);
            }
            return index;
        });
}
