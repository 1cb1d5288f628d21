using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;

namespace Legate.Formatting;

/// <summary>
/// A compiled piece of a <c>json_format</c> struct: a fixed JSON value, a format template, an object or a list.
/// Keys and fixed values are serialised once at compile time.
/// </summary>
internal abstract class JsonNode
{
    /// <summary>Writes the value; returns true when it wrote <c>null</c> (omit_empty_values drops such keys).</summary>
    public abstract bool Write(in FormatContext context, StringBuilder output, JsonNodeOptions options);

    public static JsonNode Compile(Value value, string path, JsonNodeOptions options)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                var text = value.StringValue;
                if (!text.Contains('%'))
                {
                    var literal = new StringBuilder(text.Length + 2);
                    JsonEscaper.AppendQuoted(literal, text);
                    return new JsonFixed(literal.ToString());
                }
                return new JsonTemplate(FormatParser.Parse(text, path));
            case Value.KindOneofCase.NumberValue:
                var n = value.NumberValue;
                return new JsonFixed(double.IsFinite(n) ? n.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e') : "null");
            case Value.KindOneofCase.BoolValue:
                return new JsonFixed(value.BoolValue ? "true" : "false");
            case Value.KindOneofCase.StructValue:
                return JsonObjectNode.Compile(value.StructValue, path, options);
            case Value.KindOneofCase.ListValue:
                var items = value.ListValue.Values;
                var nodes = new JsonNode[items.Count];
                for (var i = 0; i < nodes.Length; i++)
                {
                    nodes[i] = Compile(items[i], ConfigPath.Index(path, i), options);
                }
                return new JsonListNode(nodes);
            default:
                return new JsonFixed("null");
        }
    }
}

/// <summary>Options shared by every node of one JSON format.</summary>
internal sealed record JsonNodeOptions(bool OmitEmptyValues, bool Typed, bool SortKeys);

/// <summary>A value with no operators, serialised at compile time.</summary>
internal sealed class JsonFixed : JsonNode
{
    private readonly string _json;

    public JsonFixed(string json) => _json = json;

    public override bool Write(in FormatContext context, StringBuilder output, JsonNodeOptions options)
    {
        output.Append(_json);
        return _json == "null";
    }
}

/// <summary>
/// A string with operators. A lone operator keeps its type (numbers unquoted, missing = null); several
/// pieces make one string with <c>-</c> (or nothing) for missing values.
/// </summary>
internal sealed class JsonTemplate : JsonNode
{
    private readonly FormatOperator[] _operators;

    public JsonTemplate(FormatOperator[] operators) => _operators = operators;

    public override bool Write(in FormatContext context, StringBuilder output, JsonNodeOptions options)
    {
        var start = output.Length;
        if (_operators.Length == 1)
        {
            var op = _operators[0];
            if (options.Typed && op.IsNumber)
            {
                if (op.TryAppend(context, output))
                {
                    return false;
                }
                output.Append("null");
                return true;
            }
            output.Append('"');
            if (op.TryAppend(context, output))
            {
                JsonEscaper.EscapeTail(output, start + 1);
                output.Append('"');
                return false;
            }
            output.Length = start;
            if (options.Typed)
            {
                output.Append("null");
                return true;
            }
            // Untyped (deprecated json_format) prints Envoy's "-"; omit_empty_values drops the key instead.
            output.Append("\"-\"");
            return options.OmitEmptyValues;
        }
        output.Append('"');
        foreach (var op in _operators)
        {
            var piece = output.Length;
            if (op.TryAppend(context, output))
            {
                JsonEscaper.EscapeTail(output, piece);
            }
            else if (!options.OmitEmptyValues)
            {
                output.Append('-');
            }
        }
        output.Append('"');
        return false;
    }
}

internal sealed class JsonListNode : JsonNode
{
    private readonly JsonNode[] _items;

    public JsonListNode(JsonNode[] items) => _items = items;

    public override bool Write(in FormatContext context, StringBuilder output, JsonNodeOptions options)
    {
        output.Append('[');
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }
            _items[i].Write(context, output, options);
        }
        output.Append(']');
        return false;
    }
}

internal sealed class JsonObjectNode : JsonNode
{
    private readonly string[] _keys;
    private readonly JsonNode[] _values;

    private JsonObjectNode(string[] keys, JsonNode[] values)
    {
        _keys = keys;
        _values = values;
    }

    public static JsonObjectNode Compile(Struct value, string path, JsonNodeOptions options)
    {
        // Google.Protobuf's MapField keeps insertion order, i.e. the order of the config.
        var names = new List<string>(value.Fields.Keys);
        if (options.SortKeys)
        {
            names.Sort(StringComparer.Ordinal);
        }
        var keys = new string[names.Count];
        var values = new JsonNode[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var key = new StringBuilder(names[i].Length + 3);
            JsonEscaper.AppendQuoted(key, names[i]);
            key.Append(':');
            keys[i] = key.ToString();
            values[i] = JsonNode.Compile(value.Fields[names[i]], ConfigPath.Join(path, names[i]), options);
        }
        return new JsonObjectNode(keys, values);
    }

    public override bool Write(in FormatContext context, StringBuilder output, JsonNodeOptions options)
    {
        output.Append('{');
        var first = true;
        for (var i = 0; i < _keys.Length; i++)
        {
            var rollback = output.Length;
            if (!first)
            {
                output.Append(',');
            }
            output.Append(_keys[i]);
            if (_values[i].Write(context, output, options) && options.OmitEmptyValues)
            {
                output.Length = rollback;
                continue;
            }
            first = false;
        }
        output.Append('}');
        return false;
    }
}
