using System.Globalization;
using System.Text;
using Legate.Config;

namespace Legate.Formatting;

/// <summary>
/// Splits a format string into literals and operators: <c>%COMMAND(SUBCOMMAND):LENGTH%</c> where COMMAND is
/// <c>[A-Z0-9_]+</c>, the parenthesised part and the length are optional, and <c>%%</c> is a literal percent.
/// Adjacent literals are merged; an empty format yields one empty literal.
/// </summary>
internal static class FormatParser
{
    public static FormatOperator[] Parse(string format, string path)
    {
        var operators = new List<FormatOperator>();
        var literal = new StringBuilder();
        var pos = 0;
        while (pos < format.Length)
        {
            var c = format[pos];
            if (c != '%')
            {
                literal.Append(c);
                pos++;
                continue;
            }
            if (pos + 1 < format.Length && format[pos + 1] == '%')
            {
                literal.Append('%');
                pos += 2;
                continue;
            }
            if (literal.Length > 0)
            {
                operators.Add(new LiteralOperator(literal.ToString()));
                literal.Clear();
            }
            if (!TryMatchCommand(format, pos, out var command, out var subcommand, out var maxLength, out var end))
            {
                throw new ConfigException(path, string.Create(CultureInfo.InvariantCulture,
                    $"Incorrect configuration: {format}. Couldn't find valid command at position {pos}"));
            }
            var op = OperatorTable.Create(command, subcommand, maxLength, path)
                ?? throw new ConfigException(path, "Not supported field in StreamInfo: " + command);
            operators.Add(op);
            pos = end;
        }
        if (literal.Length > 0 || operators.Count == 0)
        {
            operators.Add(new LiteralOperator(literal.ToString()));
        }
        return [.. operators];
    }

    /// <summary>Matches one operator starting at the '%' at <paramref name="start"/>; <paramref name="end"/> is past its closing '%'.</summary>
    private static bool TryMatchCommand(string s, int start, out string command, out string subcommand, out int? maxLength, out int end)
    {
        command = subcommand = string.Empty;
        maxLength = null;
        end = 0;
        var i = start + 1;
        while (i < s.Length && (char.IsAsciiLetterUpper(s[i]) || char.IsAsciiDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }
        if (i == start + 1)
        {
            return false;
        }
        command = s[(start + 1)..i];
        if (i < s.Length && s[i] == '(')
        {
            // The parameter runs to the first ')' that is followed by an optional :LENGTH and the closing '%'
            // (the shortest match, as Envoy's non-greedy pattern finds it); it never spans a newline.
            for (var close = i + 1; close < s.Length && s[close] != '\n'; close++)
            {
                if (s[close] == ')' && TryMatchTail(s, close + 1, out maxLength, out end))
                {
                    subcommand = s[(i + 1)..close];
                    return true;
                }
            }
            return false;
        }
        return TryMatchTail(s, i, out maxLength, out end);
    }

    private static bool TryMatchTail(string s, int i, out int? maxLength, out int end)
    {
        maxLength = null;
        end = 0;
        if (i < s.Length && s[i] == ':')
        {
            var digits = i + 1;
            var j = digits;
            while (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                j++;
            }
            if (j > digits && j < s.Length && s[j] == '%')
            {
                maxLength = int.TryParse(s.AsSpan(digits, j - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
                end = j + 1;
                return true;
            }
        }
        if (i < s.Length && s[i] == '%')
        {
            end = i + 1;
            return true;
        }
        return false;
    }
}
