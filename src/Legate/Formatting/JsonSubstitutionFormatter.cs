using System.Text;
using Google.Protobuf.WellKnownTypes;

namespace Legate.Formatting;

/// <summary>
/// A compiled <c>json_format</c>: one JSON object per line. Typed (the default, as in
/// <c>log_format.json_format</c>): a value that is a single operator keeps its type, numbers unquoted and
/// missing values <c>null</c>. Untyped (the deprecated <c>FileAccessLog.json_format</c>): every value a string.
/// </summary>
public sealed class JsonSubstitutionFormatter : ISubstitutionFormatter
{
    private readonly JsonObjectNode _root;
    private readonly JsonNodeOptions _options;

    private JsonSubstitutionFormatter(JsonObjectNode root, JsonNodeOptions options)
    {
        _root = root;
        _options = options;
    }

    /// <param name="format">The struct; keys are printed in config order unless <paramref name="sortKeys"/>.</param>
    /// <param name="path">Field path of the struct, for errors.</param>
    /// <param name="omitEmptyValues">Drop keys whose value is null (missing).</param>
    /// <param name="typed">Keep numbers as numbers and missing values as null.</param>
    /// <param name="sortKeys">Print keys sorted (json_format_options.sort_properties).</param>
    public static JsonSubstitutionFormatter Parse(Struct format, string path, bool omitEmptyValues = false, bool typed = true, bool sortKeys = false)
    {
        var options = new JsonNodeOptions(omitEmptyValues, typed, sortKeys);
        return new JsonSubstitutionFormatter(JsonObjectNode.Compile(format, path, options), options);
    }

    public bool IsLiteral => false;

    public void Format(in FormatContext context, StringBuilder output)
    {
        _root.Write(context, output, _options);
        output.Append('\n');
    }

    public string Format(in FormatContext context)
    {
        var output = new StringBuilder(512);
        Format(context, output);
        return output.ToString();
    }
}
