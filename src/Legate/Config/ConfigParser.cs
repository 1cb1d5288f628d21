using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Legate.Config;

/// <summary>
/// Parses one config document (YAML or JSON text, or an already-built JSON tree) into a protobuf
/// message the way Envoy does: YAML -> JSON with Envoy's scalar rules, then the proto3 JSON mapping,
/// made lenient where Envoy is (case-insensitive enums, unregistered Any types) and strict where it is
/// (unknown fields, "250ms" durations). Every error is a <see cref="ConfigException"/> with a field path
/// prefixed by <c>rootPath</c> (e.g. <c>resources[0]</c> for an xDS file).
/// </summary>
public static class ConfigParser
{
    public static T ParseYaml<T>(string yaml, ConfigLoadOptions options, string rootPath = "")
        where T : IMessage<T>, new() =>
        (T)ParseYaml(yaml, new T().Descriptor, options, rootPath);

    public static T ParseJson<T>(string json, ConfigLoadOptions options, string rootPath = "")
        where T : IMessage<T>, new() =>
        (T)ParseJson(json, new T().Descriptor, options, rootPath);

    public static IMessage ParseYaml(string yaml, MessageDescriptor descriptor, ConfigLoadOptions options, string rootPath = "") =>
        ParseNode(YamlToJson.Convert(yaml), descriptor, options, rootPath);

    public static IMessage ParseJson(string json, MessageDescriptor descriptor, ConfigLoadOptions options, string rootPath = "") =>
        ParseNode(JsonConfigReader.Parse(json), descriptor, options, rootPath);

    /// <summary>
    /// Parses a JSON tree (null = empty message). The tree is normalised in place, so pass a copy
    /// (<c>DeepClone()</c>) if you still need it.
    /// </summary>
    public static IMessage ParseNode(JsonNode? node, MessageDescriptor descriptor, ConfigLoadOptions options, string rootPath = "")
    {
        var normalizer = new ProtoJsonNormalizer(options.TypeRegistry is { } given ? given.Find : ApiTypes.FindMessage, options);
        var normalized = normalizer.Normalize(node, descriptor, rootPath);
        // Every @type in the document went through the normaliser, so the resolved set now covers them.
        var registry = options.TypeRegistry ?? ApiTypes.ResolvedRegistry;
        IMessage message;
        try
        {
            var parser = new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(registry).WithIgnoreUnknownFields(false));
            message = parser.Parse(normalized.ToJsonString(), descriptor);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or InvalidOperationException)
        {
            // The normaliser should have caught anything with a path; this is the parser's last word.
            throw new ConfigException(rootPath, "invalid " + descriptor.FullName + ": " + e.Message, e);
        }
        if (normalizer.UnresolvedAnyCount > 0)
        {
            UnresolvedAny.Restore(message, registry.Find);
        }
        return message;
    }

    /// <summary>
    /// Parses a file by its suffix like Envoy's <c>-c</c>: <c>.yaml</c>/<c>.yml</c> YAML, <c>.pb</c> binary
    /// proto, <c>.pb_text</c> rejected (text format is not supported), anything else JSON.
    /// </summary>
    public static IMessage ParseFile(string path, MessageDescriptor descriptor, ConfigLoadOptions options, string rootPath = "")
    {
        if (path.EndsWith(".pb_text", StringComparison.Ordinal))
        {
            throw new ConfigException(rootPath, $"unable to load {path}: text proto format is not supported");
        }
        if (path.EndsWith(".pb", StringComparison.Ordinal))
        {
            var bytes = ReadFile(path, File.ReadAllBytes);
            try
            {
                return descriptor.Parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ConfigException(rootPath, $"unable to parse binary proto {path}: {e.Message}", e);
            }
        }
        var text = ReadFile(path, File.ReadAllText);
        return path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal)
            ? ParseYaml(text, descriptor, options, rootPath)
            : ParseJson(text, descriptor, options, rootPath);
    }

    public static T ParseFile<T>(string path, ConfigLoadOptions options, string rootPath = "")
        where T : IMessage<T>, new() =>
        (T)ParseFile(path, new T().Descriptor, options, rootPath);

    private static TResult ReadFile<TResult>(string path, Func<string, TResult> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException("", $"unable to read file {path}: {e.Message}", e);
        }
    }
}
