using Google.Protobuf.Reflection;

namespace Legate.Config;

/// <summary>The well-known types whose proto3 JSON form is not an object of their fields.</summary>
internal static class WellKnownTypeNames
{
    public const string Any = "google.protobuf.Any";
    public const string Duration = "google.protobuf.Duration";
    public const string Timestamp = "google.protobuf.Timestamp";
    public const string FieldMask = "google.protobuf.FieldMask";
    public const string Struct = "google.protobuf.Struct";
    public const string Value = "google.protobuf.Value";
    public const string ListValue = "google.protobuf.ListValue";
    public const string Empty = "google.protobuf.Empty";

    /// <summary>The wrappers, JSON'd as their bare value, with that value's type.</summary>
    public static readonly IReadOnlyDictionary<string, FieldType> Wrappers = new Dictionary<string, FieldType>(StringComparer.Ordinal)
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

    /// <summary>Packed into an Any as <c>{"@type": ..., "value": &lt;their JSON&gt;}</c> (Google.Protobuf's IsWellKnownType).</summary>
    public static readonly IReadOnlySet<string> Files = new HashSet<string>(StringComparer.Ordinal)
    {
        "google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto", "google/protobuf/wrappers.proto", "google/protobuf/timestamp.proto",
        "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto", "google/protobuf/struct.proto",
        "google/protobuf/type.proto",
    };

    /// <summary>True for the types with their own JSON form (Any, Duration, Timestamp, FieldMask, Struct, Value,
    /// ListValue, the wrappers).</summary>
    public static bool HasOwnJsonForm(Schema.MessageSchema descriptor) => descriptor.FullName switch
    {
        Any or Duration or Timestamp or FieldMask or Struct or Value or ListValue => true,
        var name => Wrappers.ContainsKey(name),
    };
}
