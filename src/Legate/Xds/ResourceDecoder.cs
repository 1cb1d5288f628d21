using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Config.Schema;

namespace Legate.Xds;

/// <summary>
/// Turns the Anys of a DiscoveryResponse into <see cref="DecodedResource"/>s: checks each type URL against
/// the subscription's, unwraps <c>envoy.service.discovery.v3.Resource</c> wrappers, and reads the resource
/// name (<c>name</c>, or <c>cluster_name</c> for ClusterLoadAssignment). Errors name <c>resources[i]</c>.
/// </summary>
public static class ResourceDecoder
{
    private const string ResourceWrapperType = "envoy.service.discovery.v3.Resource";

    public static List<DecodedResource> Decode(DiscoveryResponse response, string typeUrl)
    {
        var expected = Any.GetTypeName(typeUrl);
        if (response.TypeUrl.Length > 0 && Any.GetTypeName(response.TypeUrl) != expected)
        {
            throw new ConfigException("type_url", "type URL " + response.TypeUrl + " does not match the subscription's " + typeUrl);
        }
        var result = new List<DecodedResource>(response.Resources.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < response.Resources.Count; i++)
        {
            var path = ConfigPath.Index("resources", i);
            var decoded = Decode(response.Resources[i], expected, path, string.Empty);
            if (!seen.Add(decoded.Name))
            {
                throw new ConfigException(path, "duplicate resource name '" + decoded.Name + "'");
            }
            result.Add(decoded);
        }
        return result;
    }

    /// <summary>Decodes one Any whose type must be <paramref name="expectedTypeName"/> (a full message name) or a Resource wrapping it.</summary>
    public static DecodedResource Decode(Any any, string expectedTypeName, string path, string version)
    {
        var typeName = Any.GetTypeName(any.TypeUrl);
        if (typeName == ResourceWrapperType)
        {
            var wrapper = Resource.Parser.ParseFrom(any.Value);
            if (wrapper.Resource_ is null)
            {
                throw new ConfigException(ConfigPath.Join(path, "resource"), "a Resource wrapper in a state-of-the-world response must carry a resource");
            }
            var inner = Decode(wrapper.Resource_, expectedTypeName, ConfigPath.Join(path, "resource"), wrapper.Version);
            return wrapper.Name.Length > 0 ? inner with { Name = wrapper.Name } : inner;
        }
        if (typeName != expectedTypeName)
        {
            throw new ConfigException(path, "type URL " + any.TypeUrl + " does not match the expected type.googleapis.com/" + expectedTypeName);
        }
        var parser = ApiSchema.FindParser(typeName)
            ?? throw new ConfigException(path, "unknown resource type " + typeName);
        IMessage message;
        try
        {
            message = parser.ParseFrom(any.Value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ConfigException(path, "cannot decode " + typeName + ": " + e.Message, e);
        }
        var name = NameOf(any.Value, ApiSchema.FindMessage(typeName)!);
        if (name.Length == 0)
        {
            throw new ConfigException(path, typeName + " has no name");
        }
        return new DecodedResource(name, message, version);
    }

    /// <summary>The xDS resource name: <c>name</c>, or <c>cluster_name</c> (ClusterLoadAssignment).</summary>
    public static string NameOf(IMessage message) => NameOf(message.ToByteString(), ApiSchema.For(message.GetType()));

    /// <summary>Reads the name field straight from the encoded resource: the schema knows its number,
    /// and the generated class's own descriptor (megabytes) is never needed.</summary>
    private static string NameOf(ByteString encoded, MessageSchema descriptor)
    {
        var field = descriptor.FindField("name") ?? descriptor.FindField("cluster_name");
        if (field is null || field.FieldType != FieldType.String || field.IsRepeated)
        {
            return string.Empty;
        }
        var input = new CodedInputStream(encoded.ToByteArray());
        var name = string.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field.FieldNumber && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                // The last occurrence wins, as when parsing.
                name = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return name;
    }
}
