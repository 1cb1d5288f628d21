using System.Text.Json.Nodes;
using Google.Protobuf;
using Legate.Config.Schema;

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
        ParseNode<T>(YamlToJson.Convert(yaml), options, rootPath);

    public static T ParseJson<T>(string json, ConfigLoadOptions options, string rootPath = "")
        where T : IMessage<T>, new() =>
        ParseNode<T>(JsonConfigReader.Parse(json), options, rootPath);

    /// <summary>
    /// Parses a JSON tree (null = empty message). The tree is normalised in place, so pass a copy
    /// (<c>DeepClone()</c>) if you still need it.
    /// </summary>
    public static T ParseNode<T>(JsonNode? node, ConfigLoadOptions options, string rootPath = "")
        where T : IMessage<T>, new()
    {
        // Plain schemas describe the document; the generated class only ever sees protobuf binary
        // (see ApiSchema for why).
        var descriptor = ApiSchema.For(typeof(T));
        var normalized = new ProtoJsonNormalizer(ApiSchema.FindMessage, options).Normalize(node, descriptor, rootPath);
        var message = new T();
        try
        {
            message.MergeFrom(new ProtoJsonEncoder(ApiSchema.FindMessage).Encode(normalized, descriptor));
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or FormatException or OverflowException or InvalidOperationException)
        {
            // The normaliser rejects what the encoder cannot write, with a field path; this is the last word
            // should anything get past it.
            throw new ConfigException(rootPath, "invalid " + descriptor.FullName + ": " + e.Message, e);
        }
        return message;
    }

    /// <summary>
    /// Parses a file by its suffix like Envoy's <c>-c</c>: <c>.yaml</c>/<c>.yml</c> YAML, <c>.pb</c> binary
    /// proto, <c>.pb_text</c> rejected (text format is not supported), anything else JSON.
    /// </summary>
    public static T ParseFile<T>(string path, ConfigLoadOptions options, string rootPath = "")
        where T : IMessage<T>, new()
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
                var message = new T();
                message.MergeFrom(bytes);
                return message;
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new ConfigException(rootPath, $"unable to parse binary proto {path}: {e.Message}", e);
            }
        }
        var text = ReadFile(path, File.ReadAllText);
        return path.EndsWith(".yaml", StringComparison.Ordinal) || path.EndsWith(".yml", StringComparison.Ordinal)
            ? ParseYaml<T>(text, options, rootPath)
            : ParseJson<T>(text, options, rootPath);
    }

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
