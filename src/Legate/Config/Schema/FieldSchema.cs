using Google.Protobuf.Reflection;

namespace Legate.Config.Schema;

/// <summary>A field of a <see cref="MessageSchema"/>. Message and enum types are looked up on first use.</summary>
public sealed class FieldSchema
{
    private readonly SchemaSet _set;
    private readonly string _typeName;

    internal FieldSchema(SchemaSet set, in FieldSchemaProto proto, string containingName, bool proto3, string? oneof)
    {
        _set = set;
        _typeName = proto.TypeName.StartsWith('.') ? proto.TypeName[1..] : proto.TypeName;
        Name = proto.Name;
        FullName = containingName + "." + proto.Name;
        JsonName = proto.JsonName.Length > 0 ? proto.JsonName : LowerCamel(proto.Name);
        FieldNumber = proto.Number;
        FieldType = proto.Type;
        IsRepeated = proto.IsRepeated;
        RealContainingOneof = proto.IsProto3Optional ? null : oneof;
        var isMessage = FieldType is FieldType.Message or FieldType.Group;
        HasPresence = !IsRepeated && (isMessage || oneof is not null || !proto3);
        var packable = IsRepeated && !isMessage && FieldType is not (FieldType.String or FieldType.Bytes);
        IsPacked = packable && (proto3 ? proto.Packed != false : proto.Packed == true);
    }

    public string Name { get; }

    /// <summary><c>envoy.config.cluster.v3.Cluster.name</c>, for messages about the schema itself.</summary>
    public string FullName { get; }

    public string JsonName { get; }

    public int FieldNumber { get; }

    public FieldType FieldType { get; }

    public bool IsRepeated { get; }

    /// <summary>Set or not, as opposed to proto3's "default means unset": messages, oneof members, <c>optional</c>.</summary>
    public bool HasPresence { get; }

    /// <summary>Repeated numbers written as one length-delimited run (proto3's default).</summary>
    public bool IsPacked { get; }

    /// <summary>The oneof it belongs to, by name; null for none and for proto3 <c>optional</c>'s synthetic oneof.</summary>
    public string? RealContainingOneof { get; }

    public bool IsMap => IsRepeated && FieldType == FieldType.Message && MessageType.IsMapEntry;

    /// <summary>A google.protobuf.Value field: the one kind of field whose JSON <c>null</c> is a value, not "unset".</summary>
    public bool HoldsValue => FieldType == FieldType.Message && MessageType.FullName == WellKnownTypeNames.Value;

    public MessageSchema MessageType =>
        _set.FindMessage(_typeName) ?? throw new InvalidOperationException(FullName + " names unknown message " + _typeName);

    public EnumSchema EnumType =>
        _set.FindEnum(_typeName) ?? throw new InvalidOperationException(FullName + " names unknown enum " + _typeName);

    public override string ToString() => FullName;

    /// <summary>protoc's default JSON name: <c>foo_bar</c> -> <c>fooBar</c>.</summary>
    private static string LowerCamel(string name)
    {
        var result = new System.Text.StringBuilder(name.Length);
        var upperNext = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upperNext = true;
                continue;
            }
            result.Append(upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }
        return result.ToString();
    }
}

/// <summary>The parts of a FieldDescriptorProto that <see cref="FieldSchema"/> is built from.</summary>
internal readonly record struct FieldSchemaProto(
    string Name, int Number, bool IsRepeated, FieldType Type, string TypeName, string JsonName,
    int? OneofIndex, bool IsProto3Optional, bool? Packed);
