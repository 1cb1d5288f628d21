using Google.Protobuf.Reflection;

namespace Legate.WireCompat.Tests;

/// <summary>The comparer itself, on hand-built descriptors: each kind of disagreement must be caught.</summary>
public sealed class SchemaComparisonTests
{
    [Fact]
    public void IdenticalSchemasHaveNoDifferences()
    {
        var result = Compare(File(Message(Field("name", 1, FieldDescriptorProto.Types.Type.String))),
            File(Message(Field("name", 1, FieldDescriptorProto.Types.Type.String))));
        Assert.Empty(result.Differences);
        Assert.Empty(result.MissingUpstream);
    }

    [Fact]
    public void CatchesNameNumberTypeAndLabel()
    {
        var ours = File(Message(
            Field("renamed", 1, FieldDescriptorProto.Types.Type.String),
            Field("moved", 3, FieldDescriptorProto.Types.Type.Bool),
            Field("retyped", 4, FieldDescriptorProto.Types.Type.Int64),
            Field("relabelled", 5, FieldDescriptorProto.Types.Type.String, FieldDescriptorProto.Types.Label.Repeated),
            Field("invented", 9, FieldDescriptorProto.Types.Type.String)));
        var upstream = File(Message(
            Field("original", 1, FieldDescriptorProto.Types.Type.String),
            Field("moved", 2, FieldDescriptorProto.Types.Type.Bool),
            Field("retyped", 4, FieldDescriptorProto.Types.Type.Uint64),
            Field("relabelled", 5, FieldDescriptorProto.Types.Type.String),
            Field("upstream_only", 6, FieldDescriptorProto.Types.Type.String)));
        var result = Compare(ours, upstream);
        Assert.Contains(result.Differences, d => d.Contains("'renamed': name differs, upstream 'original'", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.Contains("test.v1.Thing.moved: number 3, upstream 2", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.Contains("'retyped': type int64, upstream uint64", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d.Contains("'relabelled': label repeated, upstream optional", StringComparison.Ordinal));
        Assert.Contains(result.MissingUpstream, m => m.StartsWith("field test.v1.Thing.invented = 9", StringComparison.Ordinal));
        Assert.Contains(result.UpstreamOnly, u => u.StartsWith("field test.v1.Thing.upstream_only = 6", StringComparison.Ordinal));
    }

    [Fact]
    public void CatchesOneofMembershipAndEnumValues()
    {
        var ours = File(Message(Field("a", 1, FieldDescriptorProto.Types.Type.String)));
        ours.MessageType[0].OneofDecl.Add(new OneofDescriptorProto { Name = "choice" });
        ours.MessageType[0].Field[0].OneofIndex = 0;
        ours.EnumType.Add(Enum(("ZERO", 0), ("ONE", 1), ("MADE_UP", 7)));
        var upstream = File(Message(Field("a", 1, FieldDescriptorProto.Types.Type.String)));
        upstream.EnumType.Add(Enum(("ZERO", 0), ("ONE", 2)));
        var result = Compare(ours, upstream);
        Assert.Contains(result.Differences, d => d.Contains("'a': oneof choice, upstream (none)", StringComparison.Ordinal));
        Assert.Contains(result.Differences, d => d == "test.v1.Kind.ONE: value 1, upstream 2");
        Assert.Contains(result.MissingUpstream, m => m == "enum value test.v1.Kind.MADE_UP = 7");
    }

    private static SchemaComparison Compare(FileDescriptorProto ours, FileDescriptorProto upstream)
    {
        var files = new HashSet<string>(StringComparer.Ordinal) { ours.Name };
        return SchemaComparison.Run(
            SchemaIndex.Of(new FileDescriptorSet { File = { ours } }),
            SchemaIndex.Of(new FileDescriptorSet { File = { upstream } }),
            files);
    }

    private static FileDescriptorProto File(DescriptorProto message) =>
        new() { Name = "test/v1/thing.proto", Package = "test.v1", Syntax = "proto3", MessageType = { message } };

    private static DescriptorProto Message(params FieldDescriptorProto[] fields)
    {
        var message = new DescriptorProto { Name = "Thing" };
        message.Field.AddRange(fields);
        return message;
    }

    private static FieldDescriptorProto Field(string name, int number, FieldDescriptorProto.Types.Type type,
        FieldDescriptorProto.Types.Label label = FieldDescriptorProto.Types.Label.Optional) =>
        new() { Name = name, Number = number, Type = type, Label = label, JsonName = name };

    private static EnumDescriptorProto Enum(params (string Name, int Number)[] values)
    {
        var result = new EnumDescriptorProto { Name = "Kind" };
        foreach (var (name, number) in values)
        {
            result.Value.Add(new EnumValueDescriptorProto { Name = name, Number = number });
        }
        return result;
    }
}
