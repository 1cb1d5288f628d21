using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Config;

/// <summary>
/// An Any whose <c>@type</c> is not in the registry must not fail the load (Envoy lets the component
/// decide: an <c>is_optional</c> HTTP filter is skipped, anything else reports an unknown type), but
/// the JSON parser cannot hold it. So the normaliser swaps it for a StringValue carrying a marker
/// and the original type URL, and after parsing <see cref="Restore"/> turns each one back into
/// <c>Any { type_url = original, value = empty }</c>.
/// </summary>
internal static class UnresolvedAny
{
    private const string Marker = "\u0001legate:unresolved-any\u0001";
    private static readonly string s_placeholderTypeUrl = "type.googleapis.com/" + StringValue.Descriptor.FullName;

    public static JsonObject Placeholder(string typeUrl) => new()
    {
        ["@type"] = s_placeholderTypeUrl,
        ["value"] = Marker + typeUrl,
    };

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

    /// <summary>Puts the original type URLs back into a parsed message.</summary>
    public static void Restore(IMessage message, Func<string, MessageDescriptor?> findMessage)
    {
        AnyWalker.Visit(message, findMessage, static any =>
        {
            if (any.TypeUrl != s_placeholderTypeUrl)
            {
                return false;
            }
            var text = StringValue.Parser.ParseFrom(any.Value).Value;
            if (!text.StartsWith(Marker, StringComparison.Ordinal))
            {
                return false;
            }
            any.TypeUrl = text[Marker.Length..];
            any.Value = ByteString.Empty;
            return true;
        });
    }

    /// <summary>True if this Any's type cannot be resolved (so JsonFormatter would throw).</summary>
    public static bool IsUnresolved(Any any, Func<string, MessageDescriptor?> findMessage) =>
        any.TypeUrl.Length > 0 && findMessage(Any.GetTypeName(any.TypeUrl)) is null;
}
