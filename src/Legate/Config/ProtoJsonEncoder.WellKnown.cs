using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Legate.Config.Schema;

namespace Legate.Config;

/// <summary>The well-known types' own JSON forms, written as their messages (field numbers from their .protos).</summary>
internal sealed partial class ProtoJsonEncoder
{
    private void WriteWellKnownBody(CodedOutputStream output, JsonNode? node, MessageSchema descriptor)
    {
        switch (descriptor.FullName)
        {
            case WellKnownTypeNames.Any:
                WriteAny(output, (JsonObject)node!);
                return;
            case WellKnownTypeNames.Duration:
                WriteSecondsAndNanos(output, WellKnownValues.ParseDuration(node!.GetValue<string>()));
                return;
            case WellKnownTypeNames.Timestamp:
                WriteSecondsAndNanos(output, WellKnownValues.ParseTimestamp(node!.GetValue<string>()));
                return;
            case WellKnownTypeNames.FieldMask:
                WriteFieldMask(output, node!.GetValue<string>());
                return;
            case WellKnownTypeNames.Struct:
                WriteStruct(output, (JsonObject)node!);
                return;
            case WellKnownTypeNames.ListValue:
                WriteList(output, (JsonArray)node!);
                return;
            case WellKnownTypeNames.Value:
                WriteValue(output, node);
                return;
            default:
                // A wrapper: its one field, "value" = 1, holds the JSON value itself.
                WriteField(output, node, descriptor.FieldByNumber(1), keepDefault: false);
                return;
        }
    }

    private void WriteAny(CodedOutputStream output, JsonObject obj)
    {
        if (!obj.TryGetPropertyValue("@type", out var typeNode) || typeNode is null)
        {
            return;
        }
        var typeUrl = typeNode.GetValue<string>();
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(typeUrl);
        var descriptor = _findMessage(typeUrl[(typeUrl.LastIndexOf('/') + 1)..]);
        if (descriptor is null)
        {
            // A type we do not know keeps its URL and an empty value; its component decides what that means.
            return;
        }
        var body = WellKnownTypeNames.Files.Contains(descriptor.FileName)
            ? Encode(obj["value"], descriptor)
            : Encode(obj, descriptor);
        if (body.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(body);
        }
    }

    private static void WriteSecondsAndNanos(CodedOutputStream output, (long Seconds, int Nanos) value)
    {
        if (value.Seconds != 0)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt64(value.Seconds);
        }
        if (value.Nanos != 0)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt32(value.Nanos);
        }
    }

    /// <summary>"statPrefix,routeConfig.name" -> paths "stat_prefix" and "route_config.name".</summary>
    private static void WriteFieldMask(CodedOutputStream output, string text)
    {
        if (text.Length == 0)
        {
            return;
        }
        foreach (var path in text.Split(','))
        {
            var snake = new StringBuilder(path.Length + 4);
            foreach (var c in path)
            {
                if (char.IsAsciiLetterUpper(c))
                {
                    snake.Append('_').Append(char.ToLowerInvariant(c));
                }
                else
                {
                    snake.Append(c);
                }
            }
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(snake.ToString());
        }
    }

    // struct.proto: Struct.fields = 1 (map<string, Value>); Value: null_value = 1, number_value = 2,
    // string_value = 3, bool_value = 4, struct_value = 5, list_value = 6; ListValue.values = 1.
    private static void WriteStruct(CodedOutputStream output, JsonObject obj)
    {
        foreach (var (key, value) in obj)
        {
            var entry = Nested(entryOutput =>
            {
                entryOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                entryOutput.WriteString(key);
                entryOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
                entryOutput.WriteBytes(Nested(valueOutput => WriteValue(valueOutput, value)));
            });
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(entry);
        }
    }

    private static void WriteList(CodedOutputStream output, JsonArray array)
    {
        foreach (var item in array)
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Nested(valueOutput => WriteValue(valueOutput, item)));
        }
    }

    private static void WriteValue(CodedOutputStream output, JsonNode? node)
    {
        switch (node?.GetValueKind() ?? JsonValueKind.Null)
        {
            case JsonValueKind.Null:
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteEnum(0);
                return;
            case JsonValueKind.Number:
                output.WriteTag(2, WireFormat.WireType.Fixed64);
                output.WriteDouble(double.Parse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
                return;
            case JsonValueKind.String:
                output.WriteTag(3, WireFormat.WireType.LengthDelimited);
                output.WriteString(node!.GetValue<string>());
                return;
            case JsonValueKind.True or JsonValueKind.False:
                output.WriteTag(4, WireFormat.WireType.Varint);
                output.WriteBool(node!.GetValueKind() == JsonValueKind.True);
                return;
            case JsonValueKind.Object:
                output.WriteTag(5, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(Nested(structOutput => WriteStruct(structOutput, (JsonObject)node!)));
                return;
            default:
                output.WriteTag(6, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(Nested(listOutput => WriteList(listOutput, (JsonArray)node!)));
                return;
        }
    }

    /// <summary>A length-delimited submessage: written to its own buffer first, as its length comes first.</summary>
    private static ByteString Nested(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer, leaveOpen: true);
        write(output);
        output.Flush();
        return UnsafeByteOperations.UnsafeWrap(buffer.ToArray());
    }
}
