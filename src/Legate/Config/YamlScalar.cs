using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Legate.Config;

/// <summary>
/// Envoy's typing of a YAML scalar (source/common/protobuf/yaml_utility.cc over yaml-cpp), in order:
/// non-plain (quoted, literal, folded) => string; null forms => null; yaml-cpp booleans => bool;
/// an integer that fits int64 => number if it fits int32, else its decimal string; everything else
/// (floats, durations like <c>0.25s</c>, too-large integers) => the string as written.
/// </summary>
public static class YamlScalar
{
    private const string StrTag = "tag:yaml.org,2002:str";

    private static readonly string[] s_trueWords = ["y", "yes", "true", "on"];
    private static readonly string[] s_falseWords = ["n", "no", "false", "off"];

    public static JsonNode? ToJson(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain || IsStringTag(scalar.Tag))
        {
            return JsonValue.Create(text);
        }
        if (text.Length == 0 || text is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (TryParseBool(text, out var flag))
        {
            return JsonValue.Create(flag);
        }
        if (TryParseInteger(text, out var number))
        {
            return number is >= int.MinValue and <= int.MaxValue
                ? JsonValue.Create(number)
                : JsonValue.Create(number.ToString(CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(text);
    }

    // yaml-cpp's explicit "!" tag (and our courtesy for "!!str") force a string.
    private static bool IsStringTag(TagName tag) => !tag.IsEmpty && (tag.Value == "!" || tag.Value == StrTag);

    /// <summary>yaml-cpp's convert&lt;bool&gt;: y/n/yes/no/true/false/on/off in lower, UPPER or Capitalised case.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        value = false;
        if (text.Length is 0 or > 5 || !IsFlexibleCase(text))
        {
            return false;
        }
        var lower = text.ToLowerInvariant();
        if (Array.IndexOf(s_trueWords, lower) >= 0)
        {
            value = true;
            return true;
        }
        return Array.IndexOf(s_falseWords, lower) >= 0;
    }

    private static bool IsFlexibleCase(string text)
    {
        var rest = text.AsSpan(1);
        if (IsAll(text, char.IsLower))
        {
            return true;
        }
        return char.IsUpper(text[0]) && (IsAll(rest, char.IsLower) || IsAll(rest, char.IsUpper));
    }

    private static bool IsAll(ReadOnlySpan<char> text, Func<char, bool> predicate)
    {
        foreach (var c in text)
        {
            if (!predicate(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// An integer literal as yaml-cpp reads it into int64 (C stream with automatic base):
    /// optional sign, then <c>0x</c>/<c>0X</c> hex, a leading <c>0</c> octal (<c>010</c> is 8, <c>007</c> is 7),
    /// or decimal. YAML 1.2's <c>0o17</c> octal is accepted too. Values outside int64 do not parse.
    /// </summary>
    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var span = text.AsSpan().TrimEnd();
        var negative = false;
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }
        if (span.Length == 0)
        {
            return false;
        }
        var radix = 10;
        if (span.Length > 2 && span[0] == '0' && (span[1] is 'x' or 'X'))
        {
            radix = 16;
            span = span[2..];
        }
        else if (span.Length > 2 && span[0] == '0' && span[1] == 'o')
        {
            radix = 8;
            span = span[2..];
        }
        else if (span.Length > 1 && span[0] == '0')
        {
            radix = 8;
            span = span[1..];
        }
        // Accumulate as a negative magnitude so long.MinValue is representable.
        long acc = 0;
        foreach (var c in span)
        {
            var digit = DigitValue(c);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }
            if (acc < (long.MinValue + digit) / radix)
            {
                return false;
            }
            acc = acc * radix - digit;
        }
        if (!negative)
        {
            if (acc == long.MinValue)
            {
                return false;
            }
            acc = -acc;
        }
        value = acc;
        return true;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
