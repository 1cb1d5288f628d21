using Legate.Config;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Metrics.V3;

namespace Legate.Stats;

/// <summary>
/// stats_config.stats_matcher compiled: decides, on the full stat name, whether a stat is created at all.
/// Runs only when a handle is looked up (snapshot build time), never per request.
/// </summary>
public sealed class StatsMatcher
{
    private enum Mode
    {
        AcceptAll,
        RejectAll,
        Inclusion,
        Exclusion,
    }

    private readonly Mode _mode;
    private readonly StringMatcher[] _patterns;

    private StatsMatcher(Mode mode, StringMatcher[] patterns)
    {
        _mode = mode;
        _patterns = patterns;
    }

    public static StatsMatcher AcceptAll { get; } = new(Mode.AcceptAll, []);

    /// <summary>True when no stat can be rejected (lookups skip matching entirely).</summary>
    public bool AcceptsAll => _mode == Mode.AcceptAll;

    public static StatsMatcher Compile(Proto.StatsMatcher? config, string path = "stats_config.stats_matcher")
    {
        switch (config?.StatsMatcherCase)
        {
            case Proto.StatsMatcher.StatsMatcherOneofCase.RejectAll:
                return config.RejectAll ? new StatsMatcher(Mode.RejectAll, []) : AcceptAll;
            case Proto.StatsMatcher.StatsMatcherOneofCase.InclusionList:
                return new StatsMatcher(Mode.Inclusion, CompileList(config.InclusionList, ConfigPath.Join(path, "inclusion_list")));
            case Proto.StatsMatcher.StatsMatcherOneofCase.ExclusionList:
                return new StatsMatcher(Mode.Exclusion, CompileList(config.ExclusionList, ConfigPath.Join(path, "exclusion_list")));
            default:
                return AcceptAll;
        }
    }

    public bool Rejects(string name)
    {
        switch (_mode)
        {
            case Mode.AcceptAll:
                return false;
            case Mode.RejectAll:
                return true;
            case Mode.Inclusion:
                return !AnyMatches(name);
            default:
                return AnyMatches(name);
        }
    }

    private bool AnyMatches(string name)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(name))
            {
                return true;
            }
        }
        return false;
    }

    private static StringMatcher[] CompileList(Envoy.Type.Matcher.V3.ListStringMatcher list, string path)
    {
        var patterns = new StringMatcher[list.Patterns.Count];
        for (var i = 0; i < patterns.Length; i++)
        {
            patterns[i] = StringMatcher.Compile(list.Patterns[i], ConfigPath.Index(ConfigPath.Join(path, "patterns"), i));
        }
        return patterns;
    }
}
