using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router.Matchers;

/// <summary>
/// A compiled QueryParameterMatcher: looks at the first value of the key in the raw (still
/// URL-encoded) query string.
/// </summary>
internal sealed class QueryParameterMatcher
{
    private readonly string _name;
    private readonly StringMatcher? _matcher;

    private QueryParameterMatcher(Proto.QueryParameterMatcher config, string path)
    {
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "query parameter name must not be empty");
        }
        _name = config.Name;
        if (config.QueryParameterMatchSpecifierCase == Proto.QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.StringMatch)
        {
            _matcher = StringMatcher.Compile(config.StringMatch, ConfigPath.Join(path, "string_match"));
        }
    }

    public static QueryParameterMatcher[] CompileAll(Google.Protobuf.Collections.RepeatedField<Proto.QueryParameterMatcher> configs, string path)
    {
        if (configs.Count == 0)
        {
            return [];
        }
        var result = new QueryParameterMatcher[configs.Count];
        for (var i = 0; i < configs.Count; i++)
        {
            result[i] = new QueryParameterMatcher(configs[i], ConfigPath.Index(path, i));
        }
        return result;
    }

    public static bool MatchAll(QueryParameterMatcher[] matchers, string path)
    {
        if (matchers.Length == 0)
        {
            return true;
        }
        var query = PathText.Query(path);
        foreach (var matcher in matchers)
        {
            if (!matcher.Matches(query))
            {
                return false;
            }
        }
        return true;
    }

    private bool Matches(ReadOnlySpan<char> query)
    {
        if (!TryGetFirstValue(query, _name, out var value))
        {
            return false;
        }
        // present_match (or no string_match): presence is enough.
        return _matcher is null || _matcher.Matches(value);
    }

    internal static bool TryGetFirstValue(ReadOnlySpan<char> query, string name, out ReadOnlySpan<char> value)
    {
        while (!query.IsEmpty)
        {
            var end = query.IndexOf('&');
            var parameter = end < 0 ? query : query[..end];
            query = end < 0 ? ReadOnlySpan<char>.Empty : query[(end + 1)..];
            var equals = parameter.IndexOf('=');
            var key = equals < 0 ? parameter : parameter[..equals];
            if (key.SequenceEqual(name))
            {
                value = equals < 0 ? ReadOnlySpan<char>.Empty : parameter[(equals + 1)..];
                return true;
            }
        }
        value = default;
        return false;
    }
}
