using Google.Protobuf.Reflection;
using Legate.Config;
using Legate.Config.Schema;

namespace Legate.Tests.Config.Schema;

/// <summary>The schemas read off the embedded descriptor set must say what the generated descriptors say.</summary>
public class ApiSchemaTests
{
    private static IEnumerable<MessageDescriptor> AllGeneratedMessages()
    {
        static IEnumerable<MessageDescriptor> WithNested(MessageDescriptor message) =>
            message.NestedTypes.SelectMany(WithNested).Prepend(message);
        return ApiTypes.Files.SelectMany(f => f.MessageTypes).SelectMany(WithNested);
    }

    [Fact]
    public void EveryMessageAndFieldMatchesTheGeneratedDescriptor()
    {
        var checkedFields = 0;
        foreach (var generated in AllGeneratedMessages())
        {
            // Google.Protobuf's own files other than the well-known types (descriptor.proto and such) are not config.
            if (generated.File.Name.StartsWith("google/protobuf/", StringComparison.Ordinal) && !WellKnownTypeNames.Files.Contains(generated.File.Name)
                || !generated.File.Name.Contains('/'))
            {
                continue;
            }
            var schema = ApiSchema.FindMessage(generated.FullName);
            Assert.True(schema is not null, generated.FullName + " is missing");
            Assert.Equal(generated.File.Name, schema!.FileName);
            Assert.Equal(generated.IsMapEntry, schema.IsMapEntry);
            Assert.Equal(
                generated.Fields.InDeclarationOrder().Select(f => f.Name),
                schema.Fields.Select(f => f.Name));
            Assert.Equal(
                generated.Fields.InFieldNumberOrder().Select(f => f.FieldNumber),
                schema.FieldsByNumber.Select(f => f.FieldNumber));
            foreach (var field in generated.Fields.InDeclarationOrder())
            {
                var ours = schema.FindField(field.Name)!;
                var what = field.FullName;
                Assert.Equal((field.JsonName, field.FieldNumber, field.FieldType), (ours.JsonName, ours.FieldNumber, ours.FieldType));
                Assert.Equal((field.IsRepeated, field.IsMap, field.HasPresence), (ours.IsRepeated, ours.IsMap, ours.HasPresence));
                Assert.Equal(field.RealContainingOneof?.Name, ours.RealContainingOneof);
                if (field.IsRepeated && field.FieldType is not (FieldType.Message or FieldType.String or FieldType.Bytes or FieldType.Group))
                {
                    Assert.True(field.IsPacked == ours.IsPacked, what + " packing");
                }
                if (field.FieldType == FieldType.Message)
                {
                    Assert.Equal(field.MessageType.FullName, ours.MessageType.FullName);
                }
                if (field.FieldType == FieldType.Enum)
                {
                    Assert.Equal(
                        field.EnumType.Values.Select(v => (v.Name, v.Number)),
                        ours.EnumType.Values.Select(v => (v.Name, v.Number)));
                }
                checkedFields++;
            }
        }
        Assert.True(checkedFields > 1500, "only " + checkedFields + " fields compared");
    }

    [Fact]
    public void GeneratedClassesMapToTheirSchemas()
    {
        Assert.Equal("envoy.config.cluster.v3.Cluster.CommonLbConfig",
            ApiSchema.For(typeof(Envoy.Config.Cluster.V3.Cluster.Types.CommonLbConfig)).FullName);
        Assert.Equal("google.protobuf.Duration", ApiSchema.For(typeof(Google.Protobuf.WellKnownTypes.Duration)).FullName);
        Assert.Throws<ArgumentException>(() => ApiSchema.For(typeof(string)));
    }

    [Fact]
    public void ParsersAreFoundByProtoNameWithoutDescriptors()
    {
        Assert.Same(Envoy.Config.Listener.V3.Listener.Parser, ApiSchema.FindParser("envoy.config.listener.v3.Listener"));
        Assert.Null(ApiSchema.FindParser("envoy.config.listener.v3.NoSuchThing"));
        Assert.Null(ApiSchema.FindParser("acme.Unknown"));
    }
}
