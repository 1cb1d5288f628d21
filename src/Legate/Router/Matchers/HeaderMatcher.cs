using System.Globalization;
using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router.Matchers;

/// <summary>
/// A compiled route HeaderMatcher. Multiple values of a header are joined with ',' before
/// matching; pseudo headers (:authority, :path, :method, :scheme) read the request line.
/// </summary>
internal sealed class HeaderMatcher
{
    private enum Source
    {
        Header,
        Authority,
        Path,
        Method,
        Scheme,
    }

    private enum MatchKind
    {
        // Deprecated exact_match: an empty value matches any present header.
        LegacyExact,
        String,
        Range,
        Present,
    }

    private readonly string _name;
    private readonly Source _source;
    private readonly MatchKind _kind;
    private readonly string _legacyValue = string.Empty;
    private readonly StringMatcher? _matcher;
    private readonly long _rangeStart;
    private readonly long _rangeEnd;
    private readonly bool _present;
    private readonly bool _invert;
    private readonly bool _treatMissingAsEmpty;

    private HeaderMatcher(Proto.HeaderMatcher config, string path)
    {
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "header name must not be empty");
        }
        _name = config.Name.ToLowerInvariant();
        _source = _name switch
        {
            ":authority" or "host" => Source.Authority,
            ":path" => Source.Path,
            ":method" => Source.Method,
            ":scheme" => Source.Scheme,
            _ => Source.Header,
        };
        _invert = config.InvertMatch;
        _treatMissingAsEmpty = config.TreatMissingHeaderAsEmpty;
        switch (config.HeaderMatchSpecifierCase)
        {
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch:
                _kind = MatchKind.LegacyExact;
                _legacyValue = config.ExactMatch;
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch:
                _kind = MatchKind.String;
                _matcher = StringMatcher.FromRegex(Re2Regex.CompileFullMatch(config.SafeRegexMatch, ConfigPath.Join(path, "safe_regex_match")));
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch:
                _kind = MatchKind.Range;
                _rangeStart = config.RangeMatch.Start;
                _rangeEnd = config.RangeMatch.End;
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch:
                _kind = MatchKind.Present;
                _present = config.PresentMatch;
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch:
                _kind = MatchKind.String;
                _matcher = StringMatcher.Literal(config.PrefixMatch, prefix: true, suffix: false, contains: false);
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch:
                _kind = MatchKind.String;
                _matcher = StringMatcher.Literal(config.SuffixMatch, prefix: false, suffix: true, contains: false);
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch:
                _kind = MatchKind.String;
                _matcher = StringMatcher.Literal(config.ContainsMatch, prefix: false, suffix: false, contains: true);
                break;
            case Proto.HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch:
                _kind = MatchKind.String;
                _matcher = StringMatcher.Compile(config.StringMatch, ConfigPath.Join(path, "string_match"));
                break;
            default:
                // No specifier: match on presence.
                _kind = MatchKind.Present;
                _present = true;
                break;
        }
    }

    public static HeaderMatcher Compile(Proto.HeaderMatcher config, string path) => new(config, path);

    public static HeaderMatcher[] CompileAll(Google.Protobuf.Collections.RepeatedField<Proto.HeaderMatcher> configs, string path)
    {
        if (configs.Count == 0)
        {
            return [];
        }
        var result = new HeaderMatcher[configs.Count];
        for (var i = 0; i < configs.Count; i++)
        {
            result[i] = new HeaderMatcher(configs[i], ConfigPath.Index(path, i));
        }
        return result;
    }

    public static bool MatchAll(HeaderMatcher[] matchers, in RouteRequest request)
    {
        foreach (var matcher in matchers)
        {
            if (!matcher.Matches(request))
            {
                return false;
            }
        }
        return true;
    }

    public bool Matches(in RouteRequest request)
    {
        var value = Value(request);
        if (value is null)
        {
            if (!_treatMissingAsEmpty)
            {
                // Absent header: only present_match can say yes (false when not inverted, true when inverted).
                return _kind == MatchKind.Present && (_invert ? _present : !_present);
            }
            value = string.Empty;
        }
        bool match;
        switch (_kind)
        {
            case MatchKind.LegacyExact:
                match = _legacyValue.Length == 0 || string.Equals(value, _legacyValue, StringComparison.Ordinal);
                break;
            case MatchKind.String:
                match = _matcher!.Matches(value);
                break;
            case MatchKind.Range:
                match = long.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                            CultureInfo.InvariantCulture, out var number) && number >= _rangeStart && number < _rangeEnd;
                break;
            default:
                match = _present;
                break;
        }
        return match != _invert;
    }

    private string? Value(in RouteRequest request)
    {
        switch (_source)
        {
            case Source.Authority:
                return request.Authority;
            case Source.Path:
                return request.Path;
            case Source.Method:
                return request.Method;
            case Source.Scheme:
                return request.Scheme;
        }
        if (request.Headers is null || !request.Headers.TryGetValue(_name, out var values) || values.Count == 0)
        {
            return null;
        }
        return values.Count == 1 ? values[0] ?? string.Empty : string.Join(',', values.ToArray());
    }
}
