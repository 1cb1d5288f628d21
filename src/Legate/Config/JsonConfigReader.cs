using System.Text.Json;
using System.Text.Json.Nodes;

namespace Legate.Config;

/// <summary>
/// Reads JSON config text into a mutable JSON tree, rejecting duplicate keys with their path
/// (the protobuf parser would silently keep the last one, hiding a mistake).
/// </summary>
public static class JsonConfigReader
{
    /// <summary>Parses JSON text; empty or whitespace-only text gives null.</summary>
    /// <exception cref="ConfigException">malformed JSON (with line and column) or a duplicate key.</exception>
    public static JsonNode? Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new ConfigException("", $"malformed JSON at line {line} column {column}: {StripPosition(e.Message)}", e);
        }
        using (document)
        {
            return Convert(document.RootElement, "");
        }
    }

    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at > 0 ? message[..at].TrimEnd() : message;
    }

    private static JsonNode? Convert(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = ConfigPath.Join(path, property.Name);
                    if (obj.ContainsKey(property.Name))
                    {
                        throw new ConfigException(childPath, $"duplicate key \"{property.Name}\"");
                    }
                    obj[property.Name] = Convert(property.Value, childPath);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(item, ConfigPath.Index(path, array.Count)));
                }
                return array;
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString());
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            case JsonValueKind.Number:
                // Keep the literal text: 64-bit values must not pass through a double.
                return JsonValue.Create(element.Clone());
            default:
                return null;
        }
    }
}
