using System.Text.Json;
using System.Text.Json.Nodes;

namespace Legate.Config;

/// <summary>How config errors show a JSON value: its kind and, for scalars, the value itself.</summary>
internal static class JsonNodeText
{
    private const int MaxShown = 60;

    public static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    /// <summary>"string \"abc\"", "number 5", "bool true", "object", "list", "null".</summary>
    public static string Describe(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "list",
        JsonValueKind.String => "string \"" + Shorten(node!.GetValue<string>()) + "\"",
        JsonValueKind.Number => "number " + node!.ToJsonString(),
        JsonValueKind.True => "bool true",
        JsonValueKind.False => "bool false",
        _ => "value",
    };

    /// <summary>A scalar as the user wrote it (strings unquoted), for messages like <c>invalid duration "5"</c>.</summary>
    public static string Raw(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.String => Shorten(node!.GetValue<string>()),
        JsonValueKind.Null => "null",
        JsonValueKind.Object or JsonValueKind.Array => Shorten(node!.ToJsonString()),
        _ => node!.ToJsonString(),
    };

    private static string Shorten(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "...";
}
