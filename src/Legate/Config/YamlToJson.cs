using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Legate.Config;

/// <summary>
/// Converts YAML text into a JSON tree the way Envoy does (yaml-cpp node -> ProtobufWkt::Value -> JSON),
/// so that the proto3 JSON parser sees exactly the values Envoy's would. Scalar typing is in
/// <see cref="YamlScalar"/>. Only the first document is read. Anchors/aliases are resolved and merge
/// keys (<c>&lt;&lt;: *base</c>, or a list of aliases) are applied; explicit keys win over merged ones,
/// earlier merge sources win over later ones.
/// </summary>
public static partial class YamlToJson
{
    /// <summary>Converts the first YAML document; an empty stream gives null.</summary>
    /// <exception cref="ConfigException">malformed YAML, duplicate keys, unknown aliases.</exception>
    public static JsonNode? Convert(string yaml)
    {
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            var reader = new Reader(new ScannerFailureGuard(new Parser(scanner)));
            return reader.ReadFirstDocument();
        }
        catch (YamlException e)
        {
            throw new ConfigException("", $"malformed YAML at line {e.Start.Line} column {e.Start.Column}: {StripMark(e.Message)}", e);
        }
        catch (ScannerFailureGuard.ScannerFailedException e)
        {
            var at = scanner.CurrentPosition;
            throw new ConfigException("", $"malformed YAML at line {at.Line} column {at.Column}: unexpected content", e.InnerException);
        }
    }

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 1) - (Line: ..): "; we print our own position.
    private static string StripMark(string message) => MarkPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    private sealed class Reader
    {
        private readonly IParser _parser;
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

        public Reader(IParser parser) => _parser = parser;

        public JsonNode? ReadFirstDocument()
        {
            _parser.Consume<StreamStart>();
            if (_parser.Accept<StreamEnd>(out _))
            {
                return null;
            }
            _parser.Consume<DocumentStart>();
            if (_parser.Accept<DocumentEnd>(out _))
            {
                return null;
            }
            // Later documents are never parsed (yaml-cpp's Load reads only the first one).
            return ReadNode("");
        }

        private JsonNode? ReadNode(string path)
        {
            var current = _parser.Current ?? throw new YamlException("unexpected end of YAML stream");
            switch (current)
            {
                case Scalar scalar:
                    _parser.MoveNext();
                    return Remember(scalar.Anchor, YamlScalar.ToJson(scalar));
                case AnchorAlias alias:
                    _parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new ConfigException(path, $"unknown YAML alias \"*{alias.Value.Value}\" at line {alias.Start.Line} column {alias.Start.Column}");
                    }
                    // A JSON node can only have one parent, so every use of an alias gets its own copy.
                    return target?.DeepClone();
                case SequenceStart sequence:
                    _parser.MoveNext();
                    return Remember(sequence.Anchor, ReadSequence(path));
                case MappingStart mapping:
                    _parser.MoveNext();
                    return Remember(mapping.Anchor, ReadMapping(path));
                default:
                    throw new YamlException(current.Start, current.End, $"unexpected YAML event {current.GetType().Name}");
            }
        }

        private JsonNode? Remember(AnchorName anchor, JsonNode? node)
        {
            if (!anchor.IsEmpty)
            {
                // Re-defining an anchor is legal YAML; later aliases see the newest definition.
                _anchors[anchor.Value] = node;
            }
            return node;
        }

        private JsonArray ReadSequence(string path)
        {
            var array = new JsonArray();
            while (!_parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(ReadNode(ConfigPath.Index(path, array.Count)));
            }
            return array;
        }

        private JsonObject ReadMapping(string path)
        {
            var obj = new JsonObject();
            List<JsonObject>? mergeSources = null;
            while (!_parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = _parser.Current!;
                if (keyEvent is not Scalar key)
                {
                    throw new ConfigException(path, $"mapping keys must be scalars (line {keyEvent.Start.Line} column {keyEvent.Start.Column})");
                }
                _parser.MoveNext();
                if (key.Style == ScalarStyle.Plain && key.Value == "<<")
                {
                    mergeSources ??= new List<JsonObject>();
                    CollectMergeSources(ReadNode(path), path, key, mergeSources);
                    continue;
                }
                var childPath = ConfigPath.Join(path, key.Value);
                if (obj.ContainsKey(key.Value))
                {
                    throw new ConfigException(childPath, $"duplicate key \"{key.Value}\" at line {key.Start.Line} column {key.Start.Column}");
                }
                obj[key.Value] = ReadNode(childPath);
            }
            if (mergeSources is not null)
            {
                foreach (var source in mergeSources)
                {
                    foreach (var (name, value) in source)
                    {
                        if (!obj.ContainsKey(name))
                        {
                            obj[name] = value?.DeepClone();
                        }
                    }
                }
            }
            return obj;
        }

        private static void CollectMergeSources(JsonNode? value, string path, Scalar key, List<JsonObject> sources)
        {
            if (value is JsonObject single)
            {
                sources.Add(single);
                return;
            }
            if (value is JsonArray list && AllMappings(list))
            {
                foreach (var item in list)
                {
                    sources.Add((JsonObject)item!);
                }
                return;
            }
            throw new ConfigException(path, $"merge key \"<<\" at line {key.Start.Line} column {key.Start.Column} must refer to a mapping or a list of mappings");
        }

        private static bool AllMappings(JsonArray list)
        {
            foreach (var item in list)
            {
                if (item is not JsonObject)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
