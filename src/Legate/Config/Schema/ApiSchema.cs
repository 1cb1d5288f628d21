using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;

namespace Legate.Config.Schema;

/// <summary>
/// The api/ protos as plain schemas, read from the FileDescriptorSet that Legate.Api embeds, for reading
/// config: field names, numbers, types and enums, and nothing else. Config goes JSON -> these schemas ->
/// protobuf binary -> the generated class's <c>Parser</c>, so no protobuf descriptor is built on the proxy's paths.
/// </summary>
/// <remarks>
/// A generated <c>Descriptor</c> builds its .proto file, every file that imports, a reflection accessor per field
/// and loads every generated class on the way: ~26 MiB for the Bootstrap graph. Google.Protobuf's own
/// descriptors built from the same bytes still cost ~7 MiB and a thousand JIT'd methods; these schemas are
/// read straight off the wire format (<see cref="DescriptorSetReader"/>). The generated descriptors are what
/// admin output (config dumps, <see cref="ConfigJson"/>) prints with, built when first asked for.
/// </remarks>
public static class ApiSchema
{
    private const string ResourceName = "Legate.Api.descriptors.pb";

    private static readonly Lazy<Schema> s_schema = new(Load);
    private static readonly ConcurrentDictionary<string, MessageParser?> s_parsers = new(StringComparer.Ordinal);

    /// <summary>A message by full proto name (<c>envoy.config.cluster.v3.Cluster</c>), or null if api/ has none.</summary>
    public static MessageSchema? FindMessage(string fullName) => s_schema.Value.Set.FindMessage(fullName);

    /// <summary>The schema of a generated message class.</summary>
    /// <exception cref="ArgumentException">the class is not one of api/'s messages.</exception>
    public static MessageSchema For(Type messageType) =>
        messageType.FullName is { } name && s_schema.Value.ByClrName.TryGetValue(name, out var descriptor)
            ? descriptor
            : throw new ArgumentException(messageType + " is not a message of api/", nameof(messageType));

    /// <summary>The generated parser for a full proto name, or null if no generated class has that name.</summary>
    public static MessageParser? FindParser(string fullName) =>
        s_parsers.GetOrAdd(fullName, static name =>
        {
            if (FindMessage(name) is null)
            {
                return null;
            }
            var type = ApiTypes.FindClrType(name);
            if (type is null || !typeof(IMessage).IsAssignableFrom(type))
            {
                return null;
            }
            // The static Parser is a plain field on the class; unlike Descriptor it builds nothing.
            return type.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageParser;
        });

    private static Schema Load()
    {
        using var stream = typeof(Envoy.Type.V3.Percent).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("Legate.Api is missing its embedded " + ResourceName);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var set = DescriptorSetReader.Read(bytes);
        var byClrName = new Dictionary<string, MessageSchema>(StringComparer.Ordinal);
        foreach (var message in set.Messages)
        {
            if (ProtocNames.ClassName(message.FullName) is { } clrName)
            {
                byClrName[clrName] = message;
            }
        }
        return new Schema(set, byClrName);
    }

    private sealed record Schema(SchemaSet Set, Dictionary<string, MessageSchema> ByClrName);
}
