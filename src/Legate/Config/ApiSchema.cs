using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Legate.Config;

/// <summary>
/// The api/ protos as plain descriptors, built from the FileDescriptorSet that Legate.Api embeds, for reading
/// config: field names, numbers, types and enums, and nothing else. Config goes JSON -> these descriptors ->
/// protobuf binary -> the generated class's <c>Parser</c>, so the generated classes' own descriptors are never
/// built on the proxy's paths.
/// </summary>
/// <remarks>
/// A generated <c>Descriptor</c> builds its .proto file, every file that imports, a reflection accessor per field
/// and loads every generated class on the way: ~26 MiB for the Bootstrap graph, most of Legate's idle memory.
/// These descriptors cost ~7 MiB for all of api/. The generated descriptors are still what admin output
/// (config dumps, <see cref="ConfigJson"/>) prints with, built when first asked for.
/// </remarks>
public static class ApiSchema
{
    private const string ResourceName = "Legate.Api.descriptors.pb";

    private static readonly Lazy<Schema> s_schema = new(Load);
    private static readonly ConcurrentDictionary<string, MessageParser?> s_parsers = new(StringComparer.Ordinal);

    /// <summary>A message by full proto name (<c>envoy.config.cluster.v3.Cluster</c>), or null if api/ has none.
    /// The descriptor has no CLR type: it describes, it does not parse.</summary>
    public static MessageDescriptor? FindMessage(string fullName) =>
        s_schema.Value.ByName.GetValueOrDefault(fullName);

    /// <summary>The descriptor of a generated message class.</summary>
    /// <exception cref="ArgumentException">the class is not one of api/'s messages.</exception>
    public static MessageDescriptor For(Type messageType) =>
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
        var set = FileDescriptorSet.Parser.ParseFrom(stream);
        // protoc writes the set dependencies first, the order BuildFromByteStrings needs.
        var files = FileDescriptor.BuildFromByteStrings(set.File.Select(static f => f.ToByteString()));
        var byName = new Dictionary<string, MessageDescriptor>(StringComparer.Ordinal);
        var byClrName = new Dictionary<string, MessageDescriptor>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var message in file.MessageTypes)
            {
                Add(message, byName, byClrName);
            }
        }
        return new Schema(byName, byClrName);
    }

    private static void Add(MessageDescriptor message, Dictionary<string, MessageDescriptor> byName, Dictionary<string, MessageDescriptor> byClrName)
    {
        byName[message.FullName] = message;
        if (ProtocNames.ClassName(message.FullName) is { } clrName)
        {
            byClrName[clrName] = message;
        }
        foreach (var nested in message.NestedTypes)
        {
            Add(nested, byName, byClrName);
        }
    }

    private sealed record Schema(Dictionary<string, MessageDescriptor> ByName, Dictionary<string, MessageDescriptor> ByClrName);
}
