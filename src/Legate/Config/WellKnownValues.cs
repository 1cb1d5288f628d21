using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Legate.Config;

/// <summary>
/// The string forms of google.protobuf.Duration and Timestamp. Envoy (strict proto3 JSON) rejects
/// "250ms" and bare numbers for durations; we reject them with the field path instead of the parser's
/// bare "Invalid Duration value".
/// </summary>
internal static partial class WellKnownValues
{
    // Duration.seconds is limited to +-10000 years (protobuf's own bound).
    private const long MaxDurationSeconds = 315_576_000_000;

    public static JsonNode Duration(JsonNode value, string path)
    {
        var kind = JsonNodeText.Kind(value);
        if (kind is JsonValueKind.Object or JsonValueKind.Array)
        {
            throw new ConfigException(path, $"expected a duration string such as \"5s\" or \"0.25s\", got {JsonNodeText.Describe(value)}");
        }
        var text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        var match = kind == JsonValueKind.String ? DurationPattern().Match(text) : Match.Empty;
        if (!match.Success
            || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > MaxDurationSeconds)
        {
            throw new ConfigException(path, $"invalid duration \"{JsonNodeText.Raw(value)}\"");
        }
        return value;
    }

    public static JsonNode Timestamp(JsonNode value, string path)
    {
        if (JsonNodeText.Kind(value) != JsonValueKind.String || !TimestampPattern().IsMatch(value.GetValue<string>()))
        {
            throw new ConfigException(path, $"invalid timestamp \"{JsonNodeText.Raw(value)}\" (expected RFC 3339, e.g. \"2024-01-02T03:04:05Z\")");
        }
        return value;
    }

    [GeneratedRegex(@"^-?([0-9]+)(\.[0-9]{1,9})?s$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
