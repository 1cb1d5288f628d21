using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Config;

/// <summary>
/// An Any whose <c>@type</c> we do not know is kept from config as <c>Any { type_url, value = empty }</c>
/// (Envoy lets the component decide: an <c>is_optional</c> HTTP filter is skipped, anything else reports an
/// unknown type). Google.Protobuf's JsonFormatter cannot print such an Any, so config dumps swap it for a
/// StringValue carrying a marker and the type URL (<see cref="PlaceholderAny"/>) and turn that back into
/// <c>{"@type": url}</c> in the printed JSON (<see cref="TryGetOriginal"/>).
/// </summary>
internal static class UnresolvedAny
{
    private const string Marker = "\u0001legate:unresolved-any\u0001";
    private static readonly string s_placeholderTypeUrl = "type.googleapis.com/" + StringValue.Descriptor.FullName;

    public static Any PlaceholderAny(string typeUrl) => new()
    {
        TypeUrl = s_placeholderTypeUrl,
        Value = new StringValue { Value = Marker + typeUrl }.ToByteString(),
    };

    /// <summary>The original type URL if <paramref name="node"/> is a placeholder in formatter output.</summary>
    public static bool TryGetOriginal(JsonObject node, out string typeUrl)
    {
        typeUrl = "";
        if (node.Count != 2
            || node["@type"] is not JsonValue type || type.GetValueKind() != System.Text.Json.JsonValueKind.String
            || type.GetValue<string>() != s_placeholderTypeUrl
            || node["value"] is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return false;
        }
        var text = value.GetValue<string>();
        if (!text.StartsWith(Marker, StringComparison.Ordinal))
        {
            return false;
        }
        typeUrl = text[Marker.Length..];
        return true;
    }

    /// <summary>True if this Any's type cannot be resolved (so JsonFormatter would throw).</summary>
    public static bool IsUnresolved(Any any, Func<string, MessageDescriptor?> findMessage) =>
        any.TypeUrl.Length > 0 && findMessage(Any.GetTypeName(any.TypeUrl)) is null;
}
