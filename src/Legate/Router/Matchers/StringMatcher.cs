using System.Text.RegularExpressions;
using Legate.Config;
using Proto = Envoy.Type.Matcher.V3;

namespace Legate.Router.Matchers;

/// <summary>A compiled envoy.type.matcher.v3.StringMatcher.</summary>
internal sealed class StringMatcher
{
    private enum MatchKind
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Regex,
    }

    private readonly MatchKind _kind;
    private readonly string _value;
    private readonly StringComparison _comparison;
    private readonly Regex? _regex;

    private StringMatcher(MatchKind kind, string value, bool ignoreCase, Regex? regex)
    {
        _kind = kind;
        _value = value;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        _regex = regex;
    }

    public static StringMatcher Compile(Proto.StringMatcher config, string path)
    {
        var ignoreCase = config.IgnoreCase;
        switch (config.MatchPatternCase)
        {
            case Proto.StringMatcher.MatchPatternOneofCase.Exact:
                return new StringMatcher(MatchKind.Exact, config.Exact, ignoreCase, null);
            case Proto.StringMatcher.MatchPatternOneofCase.Prefix:
                return new StringMatcher(MatchKind.Prefix, NonEmpty(config.Prefix, path, "prefix"), ignoreCase, null);
            case Proto.StringMatcher.MatchPatternOneofCase.Suffix:
                return new StringMatcher(MatchKind.Suffix, NonEmpty(config.Suffix, path, "suffix"), ignoreCase, null);
            case Proto.StringMatcher.MatchPatternOneofCase.Contains:
                return new StringMatcher(MatchKind.Contains, NonEmpty(config.Contains, path, "contains"), ignoreCase, null);
            case Proto.StringMatcher.MatchPatternOneofCase.SafeRegex:
                // ignore_case does not apply to regexes (use (?i) in the pattern).
                return new StringMatcher(MatchKind.Regex, string.Empty, false,
                    Re2Regex.CompileFullMatch(config.SafeRegex, ConfigPath.Join(path, "safe_regex")));
            case Proto.StringMatcher.MatchPatternOneofCase.Custom:
                throw new ConfigException(ConfigPath.Join(path, "custom"), "custom string matchers are not supported");
            default:
                throw new ConfigException(path, "one of exact, prefix, suffix, contains or safe_regex must be set");
        }
    }

    /// <summary>Deprecated HeaderMatcher shortcuts (prefix_match etc.): case-sensitive, no validation of emptiness.</summary>
    public static StringMatcher Literal(string value, bool prefix, bool suffix, bool contains)
    {
        var kind = prefix ? MatchKind.Prefix : suffix ? MatchKind.Suffix : contains ? MatchKind.Contains : MatchKind.Exact;
        return new StringMatcher(kind, value, false, null);
    }

    public static StringMatcher FromRegex(Regex regex) => new(MatchKind.Regex, string.Empty, false, regex);

    public bool Matches(ReadOnlySpan<char> value) => _kind switch
    {
        MatchKind.Exact => value.Equals(_value, _comparison),
        MatchKind.Prefix => value.StartsWith(_value, _comparison),
        MatchKind.Suffix => value.EndsWith(_value, _comparison),
        MatchKind.Contains => value.IndexOf(_value, _comparison) >= 0,
        _ => _regex!.IsMatch(value),
    };

    private static string NonEmpty(string value, string path, string field)
    {
        if (value.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, field), "value must not be empty");
        }
        return value;
    }
}
