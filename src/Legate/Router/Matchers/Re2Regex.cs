using System.Text;
using System.Text.RegularExpressions;
using Legate.Config;

namespace Legate.Router.Matchers;

/// <summary>
/// Compiles Envoy's RE2 patterns into .NET regexes. RE2 has no backtracking features, so the
/// non-backtracking engine (linear time, like RE2) accepts almost every pattern; the few
/// syntax differences (ASCII-only \d \w \s, $ meaning end of text, (?P&lt;name&gt;), [[:alpha:]],
/// \pL, \Q..\E) are rewritten here.
/// </summary>
internal static class Re2Regex
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>A regex that must match the whole input (Envoy's full-match semantics).</summary>
    public static Regex CompileFullMatch(string pattern, string fieldPath) =>
        Compile(@"\A(?:" + Translate(pattern, fieldPath) + @")\z", fieldPath, pattern);

    /// <summary>A regex used for search and replace (regex_rewrite).</summary>
    public static Regex CompileSearch(string pattern, string fieldPath) =>
        Compile(Translate(pattern, fieldPath), fieldPath, pattern);

    /// <summary>Compiles RegexMatcher.regex, rejecting an empty one as Envoy does.</summary>
    public static Regex CompileFullMatch(Envoy.Type.Matcher.V3.RegexMatcher? matcher, string fieldPath)
    {
        if (matcher is null || matcher.Regex.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(fieldPath, "regex"), "regex must not be empty");
        }
        return CompileFullMatch(matcher.Regex, ConfigPath.Join(fieldPath, "regex"));
    }

    /// <summary>
    /// Turns RE2's rewrite string (\0..\9 groups, \\ backslash) into a .NET replacement pattern.
    /// Other characters, including '$', are literal.
    /// </summary>
    public static string TranslateSubstitution(string substitution)
    {
        var output = new StringBuilder(substitution.Length + 4);
        for (var i = 0; i < substitution.Length; i++)
        {
            var c = substitution[i];
            if (c == '$')
            {
                output.Append("$$");
            }
            else if (c == '\\' && i + 1 < substitution.Length && char.IsAsciiDigit(substitution[i + 1]))
            {
                output.Append("${").Append(substitution[i + 1]).Append('}');
                i++;
            }
            else if (c == '\\' && i + 1 < substitution.Length && substitution[i + 1] == '\\')
            {
                output.Append('\\');
                i++;
            }
            else
            {
                output.Append(c);
            }
        }
        return output.ToString();
    }

    private static Regex Compile(string translated, string fieldPath, string original)
    {
        try
        {
            return new Regex(translated, Options);
        }
        catch (NotSupportedException)
        {
            // Constructs RE2 rejects too (back-references, look-arounds) land here; try the classic
            // engine so the error message names the real problem, or accept what it can run.
            try
            {
                return new Regex(translated, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException(fieldPath, "invalid regex '" + original + "': " + e.Message);
            }
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(fieldPath, "invalid regex '" + original + "': " + e.Message);
        }
    }

    internal static string Translate(string pattern, string fieldPath)
    {
        var multiline = pattern.Contains("(?m", StringComparison.Ordinal) || pattern.Contains("(?sm", StringComparison.Ordinal) ||
                        pattern.Contains("(?im", StringComparison.Ordinal);
        var output = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                i++;
                i = TranslateEscape(pattern, i, inClass, output, fieldPath);
                continue;
            }
            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    var expansion = end > 0 ? PosixClass(pattern.AsSpan(i + 2, end - i - 2)) : null;
                    if (expansion is not null)
                    {
                        output.Append(expansion);
                        i = end + 1;
                        continue;
                    }
                }
                if (c == '[')
                {
                    output.Append(@"\[");
                    continue;
                }
                if (c == ']')
                {
                    inClass = false;
                }
                output.Append(c);
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    output.Append('[');
                    // A ']' right after '[' or '[^' is a literal in RE2.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        output.Append('^');
                        i++;
                    }
                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        output.Append(@"\]");
                        i++;
                    }
                    break;
                case '$' when !multiline:
                    output.Append(@"\z");
                    break;
                case '(' when i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] == 'P' &&
                              i + 3 < pattern.Length && pattern[i + 3] == '<':
                    output.Append("(?<");
                    i += 3;
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }
        return output.ToString();
    }

    private static int TranslateEscape(string pattern, int i, bool inClass, StringBuilder output, string fieldPath)
    {
        var c = pattern[i];
        switch (c)
        {
            case 'd':
                output.Append(inClass ? "0-9" : "[0-9]");
                return i;
            case 'w':
                output.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                return i;
            case 's':
                output.Append(inClass ? @"\t\n\f\r " : @"[\t\n\f\r ]");
                return i;
            case 'D' when !inClass:
                output.Append("[^0-9]");
                return i;
            case 'W' when !inClass:
                output.Append("[^0-9A-Za-z_]");
                return i;
            case 'S' when !inClass:
                output.Append(@"[^\t\n\f\r ]");
                return i;
            case 'p' or 'P' when i + 1 < pattern.Length && pattern[i + 1] != '{':
                output.Append('\\').Append(c).Append('{').Append(pattern[i + 1]).Append('}');
                return i + 1;
            case 'Q':
                {
                    var end = pattern.IndexOf(@"\E", i + 1, StringComparison.Ordinal);
                    var literal = end < 0 ? pattern[(i + 1)..] : pattern[(i + 1)..end];
                    output.Append(inClass ? literal.Replace(@"\", @"\\").Replace("]", @"\]") : Regex.Escape(literal));
                    return end < 0 ? pattern.Length : end + 1;
                }
            case 'C':
                throw new ConfigException(fieldPath, @"invalid regex '" + pattern + @"': \C is not supported");
            default:
                output.Append('\\').Append(c);
                return i;
        }
    }

    private static string? PosixClass(ReadOnlySpan<char> name) => name switch
    {
        "alpha" => "A-Za-z",
        "digit" => "0-9",
        "alnum" => "0-9A-Za-z",
        "upper" => "A-Z",
        "lower" => "a-z",
        "space" => @"\t\n\v\f\r ",
        "blank" => @"\t ",
        "xdigit" => "0-9A-Fa-f",
        "word" => "0-9A-Za-z_",
        "punct" => @"!-/:-@\[-`{-~",
        "cntrl" => @"\x00-\x1f\x7f",
        "print" => @" -~",
        "graph" => @"!-~",
        "ascii" => @"\x00-\x7f",
        _ => null,
    };
}
