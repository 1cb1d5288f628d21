using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using Legate.Config.Schema;

namespace Legate.Config;

/// <summary>
/// Checks a JSON value against a scalar or enum field and returns the form the proto3 JSON parser
/// accepts (32-bit integers as numbers, 64-bit ones as decimal strings, enum names canonical).
/// </summary>
internal static class ScalarFieldValues
{
    private const NumberStyles IntegerStyles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public static JsonNode Normalize(JsonNode value, FieldType type, string path) => type switch
    {
        FieldType.Bool => Bool(value, path),
        FieldType.String => String(value, path),
        FieldType.Bytes => Bytes(value, path),
        FieldType.Double => Floating(value, path, isFloat: false),
        FieldType.Float => Floating(value, path, isFloat: true),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => Integer(value, path, int.MinValue, int.MaxValue, "int32", asString: false),
        FieldType.UInt32 or FieldType.Fixed32 => Integer(value, path, 0, uint.MaxValue, "uint32", asString: false),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => Integer(value, path, long.MinValue, long.MaxValue, "int64", asString: true),
        FieldType.UInt64 or FieldType.Fixed64 => Integer(value, path, 0, ulong.MaxValue, "uint64", asString: true),
        _ => value,
    };

    /// <summary>Enum names match case-insensitively (Envoy parses with case_insensitive_enum_parsing); numbers pass.</summary>
    public static JsonNode Enum(JsonNode value, EnumSchema type, string path)
    {
        switch (JsonNodeText.Kind(value))
        {
            case JsonValueKind.String:
                var name = value.GetValue<string>();
                if (type.FindValueByName(name) is not null)
                {
                    return value;
                }
                foreach (var candidate in type.Values)
                {
                    if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return JsonValue.Create(candidate.Name);
                    }
                }
                throw new ConfigException(path, $"unknown value \"{name}\"");
            case JsonValueKind.Number:
                // proto3 enums are open: any int32 number is kept.
                return Integer(value, path, int.MinValue, int.MaxValue, "enum", asString: false);
            default:
                throw new ConfigException(path, $"expected an enum name or number, got {JsonNodeText.Describe(value)}");
        }
    }

    public static void CheckMapKey(string key, FieldType keyType, string path)
    {
        switch (keyType)
        {
            case FieldType.String:
                return;
            case FieldType.Bool:
                if (key is not ("true" or "false"))
                {
                    throw new ConfigException(path, $"invalid map key \"{key}\": expected true or false");
                }
                return;
            default:
                // Each integer key type with its own range: the binary form has no room for more.
                (decimal Min, decimal Max, string Name) range = keyType switch
                {
                    FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int.MinValue, int.MaxValue, "int32"),
                    FieldType.UInt32 or FieldType.Fixed32 => (0, uint.MaxValue, "uint32"),
                    FieldType.UInt64 or FieldType.Fixed64 => (0, ulong.MaxValue, "uint64"),
                    _ => (long.MinValue, long.MaxValue, "int64"),
                };
                Integer(JsonValue.Create(key), path, range.Min, range.Max, range.Name + " map key", asString: true);
                return;
        }
    }

    private static JsonNode Bool(JsonNode value, string path) =>
        JsonNodeText.Kind(value) is JsonValueKind.True or JsonValueKind.False
            ? value
            : throw new ConfigException(path, $"expected a bool, got {JsonNodeText.Describe(value)}");

    private static JsonNode String(JsonNode value, string path) =>
        JsonNodeText.Kind(value) == JsonValueKind.String
            ? value
            : throw new ConfigException(path, $"expected a string, got {JsonNodeText.Describe(value)}");

    private static JsonNode Bytes(JsonNode value, string path)
    {
        String(value, path);
        return DecodeBase64(value.GetValue<string>()) is not null
            ? value
            : throw new ConfigException(path, $"invalid base64 value \"{JsonNodeText.Raw(value)}\"");
    }

    /// <summary>proto3 JSON's bytes: standard or URL-safe base64, padded or not; null if it is none of them.</summary>
    public static byte[]? DecodeBase64(string text)
    {
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        var buffer = new byte[standard.Length];
        return Convert.TryFromBase64String(standard, buffer, out var written) ? buffer[..written] : null;
    }

    private static JsonNode Floating(JsonNode value, string path, bool isFloat)
    {
        var kind = JsonNodeText.Kind(value);
        string text;
        if (kind == JsonValueKind.Number)
        {
            text = value.ToJsonString();
        }
        else if (kind == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            if (text is "NaN" or "Infinity" or "-Infinity")
            {
                return value;
            }
        }
        else
        {
            throw new ConfigException(path, $"expected a number, got {JsonNodeText.Describe(value)}");
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new ConfigException(path, $"expected a number, got {JsonNodeText.Describe(value)}");
        }
        if (double.IsInfinity(number) || (isFloat && Math.Abs(number) > float.MaxValue))
        {
            throw new ConfigException(path, $"value {text} is out of range for {(isFloat ? "float" : "double")}");
        }
        return kind == JsonValueKind.Number ? value : JsonValue.Create(number);
    }

    private static JsonNode Integer(JsonNode value, string path, decimal min, decimal max, string typeName, bool asString)
    {
        var kind = JsonNodeText.Kind(value);
        string text;
        if (kind == JsonValueKind.Number)
        {
            text = value.ToJsonString();
        }
        else if (kind == JsonValueKind.String)
        {
            text = value.GetValue<string>();
        }
        else
        {
            throw new ConfigException(path, $"expected an integer, got {JsonNodeText.Describe(value)}");
        }
        if (!decimal.TryParse(text, IntegerStyles, CultureInfo.InvariantCulture, out var number))
        {
            // Too big even for decimal, but still a number: say so rather than "not an integer".
            if (double.TryParse(text, IntegerStyles, CultureInfo.InvariantCulture, out _))
            {
                throw new ConfigException(path, $"value {text} is out of range for {typeName}");
            }
            throw new ConfigException(path, $"expected an integer, got {JsonNodeText.Describe(value)}");
        }
        if (number != decimal.Truncate(number))
        {
            throw new ConfigException(path, $"expected an integer, got {JsonNodeText.Describe(value)}");
        }
        if (number < min || number > max)
        {
            throw new ConfigException(path, $"value {text} is out of range for {typeName}");
        }
        return asString
            ? JsonValue.Create(number.ToString("0", CultureInfo.InvariantCulture))
            : JsonValue.Create((long)number);
    }
}
