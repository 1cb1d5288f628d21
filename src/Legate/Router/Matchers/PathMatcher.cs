using System.Text.RegularExpressions;
using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router.Matchers;

/// <summary>The compiled RouteMatch.path_specifier.</summary>
internal sealed class PathMatcher
{
    public enum PathKind
    {
        Prefix,
        Path,
        Regex,
        PathSeparatedPrefix,
        Connect,
    }

    private readonly string _value;
    private readonly StringComparison _comparison;
    private readonly Regex? _regex;
    private readonly bool _ignorePathParameters;

    private PathMatcher(PathKind kind, string value, bool caseSensitive, Regex? regex, bool ignorePathParameters)
    {
        Kind = kind;
        _value = value;
        _comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        _regex = regex;
        _ignorePathParameters = ignorePathParameters;
    }

    public PathKind Kind { get; }

    public static PathMatcher Compile(Proto.RouteMatch match, bool ignorePathParameters, string path)
    {
        var caseSensitive = match.CaseSensitive ?? true;
        switch (match.PathSpecifierCase)
        {
            case Proto.RouteMatch.PathSpecifierOneofCase.Prefix:
                return new PathMatcher(PathKind.Prefix, match.Prefix, caseSensitive, null, ignorePathParameters);
            case Proto.RouteMatch.PathSpecifierOneofCase.Path:
                return new PathMatcher(PathKind.Path, match.Path, caseSensitive, null, ignorePathParameters);
            case Proto.RouteMatch.PathSpecifierOneofCase.SafeRegex:
                return new PathMatcher(PathKind.Regex, string.Empty, true,
                    Re2Regex.CompileFullMatch(match.SafeRegex, ConfigPath.Join(path, "safe_regex")), ignorePathParameters);
            case Proto.RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix:
                var prefix = match.PathSeparatedPrefix;
                if (prefix.Length == 0 || prefix[0] != '/' || prefix.EndsWith('/') || prefix.AsSpan().IndexOfAny('?', '#') >= 0)
                {
                    throw new ConfigException(ConfigPath.Join(path, "path_separated_prefix"),
                        "must start with '/', must not end with '/' and must not contain '?' or '#'");
                }
                return new PathMatcher(PathKind.PathSeparatedPrefix, prefix, caseSensitive, null, ignorePathParameters);
            case Proto.RouteMatch.PathSpecifierOneofCase.ConnectMatcher:
                return new PathMatcher(PathKind.Connect, string.Empty, true, null, ignorePathParameters);
            case Proto.RouteMatch.PathSpecifierOneofCase.PathMatchPolicy:
                throw new ConfigException(ConfigPath.Join(path, "path_match_policy"), "path_match_policy extensions are not supported");
            default:
                throw new ConfigException(path, "one of prefix, path, safe_regex, connect_matcher or path_separated_prefix must be set");
        }
    }

    public bool Matches(in RouteRequest request)
    {
        if (Kind == PathKind.Connect)
        {
            return string.Equals(request.Method, "CONNECT", StringComparison.Ordinal);
        }
        var path = request.Path.AsSpan(0, PathText.PathLength(request.Path));
        if (_ignorePathParameters)
        {
            var semicolon = path.IndexOf(';');
            if (semicolon >= 0)
            {
                path = path[..semicolon];
            }
        }
        switch (Kind)
        {
            case PathKind.Prefix:
                return path.StartsWith(_value, _comparison);
            case PathKind.Path:
                return path.Equals(_value, _comparison);
            case PathKind.PathSeparatedPrefix:
                return path.StartsWith(_value, _comparison) && (path.Length == _value.Length || path[_value.Length] == '/');
            default:
                return _regex!.IsMatch(path);
        }
    }

    /// <summary>How many leading characters of the path prefix_rewrite replaces.</summary>
    public int MatchedLength(string path) => Kind switch
    {
        PathKind.Prefix or PathKind.Path or PathKind.PathSeparatedPrefix => Math.Min(_value.Length, path.Length),
        _ => PathText.PathLength(path),
    };
}
