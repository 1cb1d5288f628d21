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
        if (JsonNodeText.Kind(value) != JsonValueKind.String || !TryParseTimestamp(value.GetValue<string>(), out _))
        {
            throw new ConfigException(path, $"invalid timestamp \"{JsonNodeText.Raw(value)}\" (expected RFC 3339, e.g. \"2024-01-02T03:04:05Z\")");
        }
        return value;
    }

    /// <summary>"-1.5s" -> (-1, -500000000): both parts carry the sign, as Duration requires. Only for text
    /// <see cref="Duration"/> accepted.</summary>
    public static (long Seconds, int Nanos) ParseDuration(string text)
    {
        var negative = text.StartsWith('-');
        var body = text.AsSpan(negative ? 1 : 0, text.Length - (negative ? 2 : 1));
        var dot = body.IndexOf('.');
        var seconds = long.Parse(dot < 0 ? body : body[..dot], NumberStyles.None, CultureInfo.InvariantCulture);
        var nanos = dot < 0 ? 0 : Nanos(body[(dot + 1)..]);
        return negative ? (-seconds, -nanos) : (seconds, nanos);
    }

    /// <summary>RFC 3339 -> seconds since the epoch and nanoseconds. Only for text <see cref="Timestamp"/> accepted.</summary>
    public static (long Seconds, int Nanos) ParseTimestamp(string text) =>
        TryParseTimestamp(text, out var value) ? value : throw new FormatException("invalid timestamp " + text);

    /// <summary>The shape (the pattern) and the calendar (no month 13, no 24:00, no leap second, as protobuf).</summary>
    private static bool TryParseTimestamp(string text, out (long Seconds, int Nanos) value)
    {
        value = default;
        if (!TimestampPattern().IsMatch(text))
        {
            return false;
        }
        var nanos = 0;
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
            nanos = Nanos(text.AsSpan(dot + 1, end - dot - 1));
            text = text[..dot] + text[end..];
        }
        if (!DateTimeOffset.TryParseExact(text, s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return false;
        }
        value = (instant.ToUnixTimeSeconds(), nanos);
        return true;
    }

    private static readonly string[] s_timestampFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:sszzz"];

    /// <summary>Up to nine fraction digits as nanoseconds ("25" -> 250000000).</summary>
    private static int Nanos(ReadOnlySpan<char> digits)
    {
        var nanos = 0;
        for (var i = 0; i < 9; i++)
        {
            nanos = nanos * 10 + (i < digits.Length ? digits[i] - '0' : 0);
        }
        return nanos;
    }

    [GeneratedRegex(@"^-?([0-9]+)(\.[0-9]{1,9})?s$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();
}
