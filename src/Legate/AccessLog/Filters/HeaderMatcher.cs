using System.Globalization;
using System.Text.RegularExpressions;
using Legate.Config;
using Legate.Formatting;
using Envoy.Type.Matcher.V3;
using RouteHeaderMatcher = Envoy.Config.Route.V3.HeaderMatcher;

namespace Legate.AccessLog.Filters;

/// <summary>
/// A compiled route <c>HeaderMatcher</c> over the request headers (all values joined by ','):
/// exact/prefix/suffix/contains/regex (full match)/range/present, with invert_match and
/// treat_missing_header_as_empty. A missing header fails every match but a present_match.
/// </summary>
internal sealed class HeaderMatcher
{
    private enum Kind
    {
        Exact,
        Prefix,
        Suffix,
        Contains,
        Regex,
        Range,
        Present,
    }

    private readonly string _name;
    private readonly Kind _kind;
    private readonly string _text = string.Empty;
    private readonly StringComparison _comparison = StringComparison.Ordinal;
    private readonly Regex? _regex;
    private readonly long _rangeStart;
    private readonly long _rangeEnd;
    private readonly bool _present = true;
    private readonly bool _invert;
    private readonly bool _missingAsEmpty;

    private HeaderMatcher(RouteHeaderMatcher config, string path)
    {
        _name = config.Name.ToLowerInvariant();
        _invert = config.InvertMatch;
        _missingAsEmpty = config.TreatMissingHeaderAsEmpty;
        switch (config.HeaderMatchSpecifierCase)
        {
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch:
                (_kind, _text) = (Kind.Exact, config.ExactMatch);
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch:
                (_kind, _text) = (Kind.Prefix, config.PrefixMatch);
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch:
                (_kind, _text) = (Kind.Suffix, config.SuffixMatch);
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch:
                (_kind, _text) = (Kind.Contains, config.ContainsMatch);
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch:
                _kind = Kind.Regex;
                _regex = CompileRegex(config.SafeRegexMatch.Regex, ConfigPath.Join(path, "safe_regex_match.regex"));
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch:
                (_kind, _rangeStart, _rangeEnd) = (Kind.Range, config.RangeMatch.Start, config.RangeMatch.End);
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch:
                (_kind, _present) = (Kind.Present, config.PresentMatch);
                break;
            case RouteHeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch:
                var m = config.StringMatch;
                var matchPath = ConfigPath.Join(path, "string_match");
                _comparison = m.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                switch (m.MatchPatternCase)
                {
                    case StringMatcher.MatchPatternOneofCase.Exact:
                        (_kind, _text) = (Kind.Exact, m.Exact);
                        break;
                    case StringMatcher.MatchPatternOneofCase.Prefix:
                        (_kind, _text) = (Kind.Prefix, m.Prefix);
                        break;
                    case StringMatcher.MatchPatternOneofCase.Suffix:
                        (_kind, _text) = (Kind.Suffix, m.Suffix);
                        break;
                    case StringMatcher.MatchPatternOneofCase.Contains:
                        (_kind, _text) = (Kind.Contains, m.Contains);
                        break;
                    case StringMatcher.MatchPatternOneofCase.SafeRegex:
                        _kind = Kind.Regex;
                        _regex = CompileRegex(m.SafeRegex.Regex, ConfigPath.Join(matchPath, "safe_regex.regex"));
                        break;
                    default:
                        throw new ConfigException(matchPath, "unsupported string matcher");
                }
                break;
            default:
                // No specifier: Envoy matches on presence.
                _kind = Kind.Present;
                break;
        }
    }

    public static HeaderMatcher Compile(RouteHeaderMatcher config, string path)
    {
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "value length must be at least 1 characters");
        }
        return new HeaderMatcher(config, path);
    }

    public bool Matches(in FormatContext context)
    {
        var value = HeaderLookup.RequestJoined(context, _name);
        if (_kind == Kind.Present)
        {
            return (value is not null == _present) != _invert;
        }
        if (value is null)
        {
            if (!_missingAsEmpty)
            {
                return false;
            }
            value = string.Empty;
        }
        return MatchesValue(value) != _invert;
    }

    private bool MatchesValue(string value) => _kind switch
    {
        Kind.Exact => value.Equals(_text, _comparison),
        Kind.Prefix => value.StartsWith(_text, _comparison),
        Kind.Suffix => value.EndsWith(_text, _comparison),
        Kind.Contains => value.Contains(_text, _comparison),
        Kind.Regex => _regex!.IsMatch(value),
        _ => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= _rangeStart && n < _rangeEnd,
    };

    // RE2 semantics: full match, linear time (NonBacktracking has RE2's guarantees and limits).
    private static Regex CompileRegex(string pattern, string path)
    {
        try
        {
            return new Regex("^(?:" + pattern + @")\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException(path, "invalid regex \"" + pattern + "\": " + e.Message, e);
        }
    }
}
