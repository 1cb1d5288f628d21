using System.Reflection;
using Google.Protobuf.Reflection;

namespace Legate.Upstream;

/// <summary>The proto name of an enum value (RING_HASH, not RingHash), for config error messages.</summary>
internal static class ProtoEnumName
{
    public static string Of<T>(T value) where T : struct, Enum
    {
        var text = value.ToString();
        var field = typeof(T).GetField(text, BindingFlags.Public | BindingFlags.Static);
        return field?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? text;
    }
}
