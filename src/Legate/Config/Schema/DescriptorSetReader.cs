using Google.Protobuf.Reflection;

namespace Legate.Config.Schema;

/// <summary>
/// Builds a <see cref="SchemaSet"/> from a serialised FileDescriptorSet. Field numbers are descriptor.proto's:
/// FileDescriptorProto name 1, package 2, message_type 4, enum_type 5, syntax 12; DescriptorProto name 1,
/// field 2, nested_type 3, enum_type 4, options 7 (map_entry 7), oneof_decl 8; FieldDescriptorProto name 1,
/// number 3, label 4, type 5, type_name 6, options 8 (packed 2), oneof_index 9, json_name 10,
/// proto3_optional 17; EnumDescriptorProto name 1, value 2 (name 1, number 2).
/// </summary>
internal static class DescriptorSetReader
{
    private const int LabelRepeated = 3;

    public static SchemaSet Read(ReadOnlySpan<byte> descriptorSet)
    {
        var set = new SchemaSet();
        var reader = new WireReader(descriptorSet);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == 2)
            {
                ReadFile(set, reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        return set;
    }

    private static void ReadFile(SchemaSet set, ReadOnlySpan<byte> file)
    {
        // syntax (12) comes after the messages, and every field of a message needs it: two passes.
        string name = "", package = "", syntax = "";
        var reader = new WireReader(file);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: name = reader.ReadString(); break;
                case 2: package = reader.ReadString(); break;
                case 12: syntax = reader.ReadString(); break;
                default: reader.Skip(wireType); break;
            }
        }
        var proto3 = syntax == "proto3";
        reader = new WireReader(file);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 4: ReadMessage(set, reader.ReadLengthDelimited(), package, name, proto3); break;
                case 5: ReadEnum(set, reader.ReadLengthDelimited(), package); break;
                default: reader.Skip(wireType); break;
            }
        }
    }

    private static void ReadMessage(SchemaSet set, ReadOnlySpan<byte> message, string scope, string fileName, bool proto3)
    {
        var name = "";
        var isMapEntry = false;
        var fields = new List<FieldSchemaProto>();
        var oneofs = new List<string>();
        var reader = new WireReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: name = reader.ReadString(); break;
                case 2: fields.Add(ReadField(reader.ReadLengthDelimited())); break;
                case 7: isMapEntry = ReadBoolOption(reader.ReadLengthDelimited(), 7) == true; break;
                case 8: oneofs.Add(ReadName(reader.ReadLengthDelimited())); break;
                default: reader.Skip(wireType); break;
            }
        }
        var fullName = Join(scope, name);
        var schemas = new FieldSchema[fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            var oneof = fields[i].OneofIndex is { } index && index < oneofs.Count ? oneofs[index] : null;
            schemas[i] = new FieldSchema(set, fields[i], fullName, proto3, oneof);
        }
        set.Add(new MessageSchema(fullName, fileName, isMapEntry, schemas));
        reader = new WireReader(message);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 3: ReadMessage(set, reader.ReadLengthDelimited(), fullName, fileName, proto3); break;
                case 4: ReadEnum(set, reader.ReadLengthDelimited(), fullName); break;
                default: reader.Skip(wireType); break;
            }
        }
    }

    private static FieldSchemaProto ReadField(ReadOnlySpan<byte> data)
    {
        string name = "", typeName = "", jsonName = "";
        int number = 0, label = 0, type = 0;
        int? oneofIndex = null;
        bool proto3Optional = false;
        bool? packed = null;
        var reader = new WireReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: name = reader.ReadString(); break;
                case 3: number = (int)reader.ReadVarint(); break;
                case 4: label = (int)reader.ReadVarint(); break;
                case 5: type = (int)reader.ReadVarint(); break;
                case 6: typeName = reader.ReadString(); break;
                case 8: packed = ReadBoolOption(reader.ReadLengthDelimited(), 2); break;
                case 9: oneofIndex = (int)reader.ReadVarint(); break;
                case 10: jsonName = reader.ReadString(); break;
                case 17: proto3Optional = reader.ReadVarint() != 0; break;
                default: reader.Skip(wireType); break;
            }
        }
        return new FieldSchemaProto(name, number, label == LabelRepeated, ToFieldType(type), typeName, jsonName, oneofIndex, proto3Optional, packed);
    }

    private static void ReadEnum(SchemaSet set, ReadOnlySpan<byte> data, string scope)
    {
        var name = "";
        var values = new List<EnumValueSchema>();
        var reader = new WireReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: name = reader.ReadString(); break;
                case 2: values.Add(ReadEnumValue(reader.ReadLengthDelimited())); break;
                default: reader.Skip(wireType); break;
            }
        }
        set.Add(new EnumSchema(Join(scope, name), values));
    }

    private static EnumValueSchema ReadEnumValue(ReadOnlySpan<byte> data)
    {
        var name = "";
        var number = 0;
        var reader = new WireReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case 1: name = reader.ReadString(); break;
                // int32 on the wire: negative numbers are ten-byte varints of the 64-bit value.
                case 2: number = (int)(long)reader.ReadVarint(); break;
                default: reader.Skip(wireType); break;
            }
        }
        return new EnumValueSchema(name, number);
    }

    /// <summary>The name (field 1) of a OneofDescriptorProto.</summary>
    private static string ReadName(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == 1 && wireType == 2)
            {
                return reader.ReadString();
            }
            reader.Skip(wireType);
        }
        return "";
    }

    /// <summary>A bool field of an options message, or null when it is not set.</summary>
    private static bool? ReadBoolOption(ReadOnlySpan<byte> options, int number)
    {
        bool? value = null;
        var reader = new WireReader(options);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field == number && wireType == 0)
            {
                value = reader.ReadVarint() != 0;
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        return value;
    }

    private static string Join(string scope, string name) => scope.Length == 0 ? name : scope + "." + name;

    /// <summary>descriptor.proto's FieldDescriptorProto.Type numbers.</summary>
    private static FieldType ToFieldType(int type) => type switch
    {
        1 => FieldType.Double,
        2 => FieldType.Float,
        3 => FieldType.Int64,
        4 => FieldType.UInt64,
        5 => FieldType.Int32,
        6 => FieldType.Fixed64,
        7 => FieldType.Fixed32,
        8 => FieldType.Bool,
        9 => FieldType.String,
        10 => FieldType.Group,
        11 => FieldType.Message,
        12 => FieldType.Bytes,
        13 => FieldType.UInt32,
        14 => FieldType.Enum,
        15 => FieldType.SFixed32,
        16 => FieldType.SFixed64,
        17 => FieldType.SInt32,
        18 => FieldType.SInt64,
        _ => throw new InvalidDataException("unknown field type " + type + " in a descriptor set"),
    };
}
