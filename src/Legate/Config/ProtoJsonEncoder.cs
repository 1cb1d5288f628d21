using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Legate.Config.Schema;

namespace Legate.Config;

/// <summary>
/// Writes a JSON tree that <see cref="ProtoJsonNormalizer"/> has accepted as protobuf binary, driven by plain
/// schemas (<see cref="ApiSchema"/>), so the generated class can parse it without its reflection descriptors.
/// Every check with a field path happened in the normaliser; what is left here cannot fail on normalised input.
/// Well-known types are in the WellKnown part.
/// </summary>
internal sealed partial class ProtoJsonEncoder
{
    private readonly Func<string, MessageSchema?> _findMessage;

    public ProtoJsonEncoder(Func<string, MessageSchema?> findMessage)
    {
        _findMessage = findMessage;
    }

    /// <summary>The binary form of <paramref name="node"/> as a <paramref name="descriptor"/> message.</summary>
    public ByteString Encode(JsonNode? node, MessageSchema descriptor) =>
        Nested(output => WriteMessageBody(output, node, descriptor));

    private void WriteMessageBody(CodedOutputStream output, JsonNode? node, MessageSchema descriptor)
    {
        if (WellKnownTypeNames.HasOwnJsonForm(descriptor))
        {
            WriteWellKnownBody(output, node, descriptor);
            return;
        }
        if (node is JsonObject obj)
        {
            WriteFields(output, obj, descriptor);
        }
    }

    /// <summary>
    /// Fields in number order, implicit-presence scalars at their default left out and repeated numbers packed:
    /// the bytes the generated class would write, so Anys compare equal however the document was spelled.
    /// </summary>
    private void WriteFields(CodedOutputStream output, JsonObject obj, MessageSchema descriptor)
    {
        foreach (var field in descriptor.FieldsByNumber)
        {
            // The normaliser let one spelling of each field through: its proto name or its JSON name.
            if (!obj.TryGetPropertyValue(field.Name, out var value) && !obj.TryGetPropertyValue(field.JsonName, out value))
            {
                continue;
            }
            if (field.IsMap)
            {
                WriteMap(output, value as JsonObject, field);
            }
            else if (!field.IsRepeated)
            {
                if (value is not null || field.HoldsValue)
                {
                    WriteField(output, value, field, keepDefault: field.HasPresence);
                }
            }
            else if (value is JsonArray { Count: > 0 } array)
            {
                if (field.IsPacked)
                {
                    output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(Nested(packed =>
                    {
                        foreach (var item in array)
                        {
                            WriteScalarValue(packed, field, item!);
                        }
                    }));
                }
                else
                {
                    foreach (var item in array)
                    {
                        WriteField(output, item, field, keepDefault: true);
                    }
                }
            }
        }
    }

    private void WriteMap(CodedOutputStream output, JsonObject? obj, FieldSchema field)
    {
        if (obj is null)
        {
            return;
        }
        var keyField = field.MessageType.FieldByNumber(1);
        var valueField = field.MessageType.FieldByNumber(2);
        foreach (var (key, value) in obj)
        {
            var entry = Nested(entryOutput =>
            {
                WriteField(entryOutput, MapKey(key, keyField.FieldType), keyField, keepDefault: false);
                WriteField(entryOutput, value, valueField, keepDefault: false);
            });
            output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(entry);
        }
    }

    /// <summary>One value of a field (one element, for a repeated field), tag included.</summary>
    private void WriteField(CodedOutputStream output, JsonNode? value, FieldSchema field, bool keepDefault)
    {
        if (field.FieldType is FieldType.Message or FieldType.Group)
        {
            output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Encode(value, field.MessageType));
            return;
        }
        if (value is not null && (keepDefault || !IsDefault(field, value)))
        {
            output.WriteTag(field.FieldNumber, WireTypeOf(field.FieldType));
            WriteScalarValue(output, field, value);
        }
    }

    private static WireFormat.WireType WireTypeOf(FieldType type) => type switch
    {
        FieldType.String or FieldType.Bytes => WireFormat.WireType.LengthDelimited,
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireFormat.WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireFormat.WireType.Fixed32,
        _ => WireFormat.WireType.Varint,
    };

    private static bool IsDefault(FieldSchema field, JsonNode value) => field.FieldType switch
    {
        FieldType.Bool => value.GetValueKind() == JsonValueKind.False,
        FieldType.String => value.GetValue<string>().Length == 0,
        FieldType.Bytes => value.GetValue<string>().TrimEnd('=').Length == 0,
        FieldType.Double or FieldType.Float => Floating(value) == 0,
        FieldType.Enum => EnumNumber(field, value) == 0,
        FieldType.UInt32 or FieldType.Fixed32 or FieldType.UInt64 or FieldType.Fixed64 => Unsigned(value) == 0,
        _ => Signed(value) == 0,
    };

    private static int EnumNumber(FieldSchema field, JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String
            ? field.EnumType.FindValueByName(value.GetValue<string>())!.Number
            : (int)Signed(value);

    /// <summary>A scalar's value without its tag (packed elements have none).</summary>
    private static void WriteScalarValue(CodedOutputStream output, FieldSchema field, JsonNode value)
    {
        switch (field.FieldType)
        {
            case FieldType.Bool:
                output.WriteBool(value.GetValueKind() == JsonValueKind.True);
                return;
            case FieldType.String:
                output.WriteString(value.GetValue<string>());
                return;
            case FieldType.Bytes:
                output.WriteBytes(UnsafeByteOperations.UnsafeWrap(ScalarFieldValues.DecodeBase64(value.GetValue<string>())!));
                return;
            case FieldType.Double:
                output.WriteDouble(Floating(value));
                return;
            case FieldType.Float:
                output.WriteFloat((float)Floating(value));
                return;
            case FieldType.Enum:
                output.WriteEnum(EnumNumber(field, value));
                return;
            case FieldType.Int32:
                output.WriteInt32((int)Signed(value));
                return;
            case FieldType.SInt32:
                output.WriteSInt32((int)Signed(value));
                return;
            case FieldType.SFixed32:
                output.WriteSFixed32((int)Signed(value));
                return;
            case FieldType.UInt32:
                output.WriteUInt32((uint)Unsigned(value));
                return;
            case FieldType.Fixed32:
                output.WriteFixed32((uint)Unsigned(value));
                return;
            case FieldType.Int64:
                output.WriteInt64(Signed(value));
                return;
            case FieldType.SInt64:
                output.WriteSInt64(Signed(value));
                return;
            case FieldType.SFixed64:
                output.WriteSFixed64(Signed(value));
                return;
            case FieldType.UInt64:
                output.WriteUInt64(Unsigned(value));
                return;
            case FieldType.Fixed64:
                output.WriteFixed64(Unsigned(value));
                return;
            default:
                throw new InvalidOperationException("unexpected field type " + field.FieldType + " for " + field.FullName);
        }
    }

    /// <summary>A map key, as JSON carries it (always a string), in the form <see cref="WriteScalarValue"/> reads.</summary>
    private static JsonNode MapKey(string key, FieldType type) =>
        type == FieldType.Bool ? JsonValue.Create(key == "true") : JsonValue.Create(key);

    // The normaliser leaves 32-bit integers as numbers and 64-bit ones as decimal strings; both forms read here.
    private static string ScalarText(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private static long Signed(JsonNode value) =>
        long.Parse(ScalarText(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static ulong Unsigned(JsonNode value) =>
        ulong.Parse(ScalarText(value), NumberStyles.None, CultureInfo.InvariantCulture);

    private static double Floating(JsonNode value) => ScalarText(value) switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
