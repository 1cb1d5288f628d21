using System.Collections.Concurrent;
using System.Text;
using Legate.Config;
using Proto = Envoy.Config.Metrics.V3;

namespace Legate.Stats.Rendering;

/// <summary>A stat name with its tags pulled out: <c>cluster.foo.upstream_rq_200</c> becomes
/// <c>cluster.upstream_rq</c> with envoy.response_code=200 and envoy.cluster_name=foo.</summary>
public sealed record TaggedStatName(string Name, string ExtractedName, IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>
/// Envoy's tag producer: the default extractors (unless use_all_default_tags is false), the --stats-tag
/// fixed tags and stats_config.stats_tags. Every rule runs on the original name; rules that need no
/// particular first token run first, then those keyed by the name's first token, each group in
/// configuration order — which is the order the tags (and so the Prometheus labels) appear in.
/// Results are cached per name: stat names are few and stable.
/// </summary>
public sealed class TagExtractor
{
    private readonly TagExtractorRule[] _withoutPrefix;
    private readonly Dictionary<string, TagExtractorRule[]> _byPrefix;
    private readonly ConcurrentDictionary<string, TaggedStatName> _cache = new(StringComparer.Ordinal);

    private TagExtractor(List<TagExtractorRule> rules)
    {
        var seen = new Dictionary<string, TagExtractorRule>(StringComparer.Ordinal);
        var withoutPrefix = new List<TagExtractorRule>();
        var byPrefix = new Dictionary<string, List<TagExtractorRule>>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (seen.TryGetValue(rule.TagName, out var other))
            {
                other.SharesName = true;
                rule.SharesName = true;
            }
            else
            {
                seen[rule.TagName] = rule;
            }
            if (rule.PrefixToken.Length == 0)
            {
                withoutPrefix.Add(rule);
            }
            else
            {
                if (!byPrefix.TryGetValue(rule.PrefixToken, out var list))
                {
                    byPrefix[rule.PrefixToken] = list = [];
                }
                list.Add(rule);
            }
        }
        _withoutPrefix = [.. withoutPrefix];
        _byPrefix = new Dictionary<string, TagExtractorRule[]>(StringComparer.Ordinal);
        foreach (var (prefix, list) in byPrefix)
        {
            _byPrefix[prefix] = [.. list];
        }
    }

    /// <summary>Envoy's default extractors only (no stats_config, no --stats-tag).</summary>
    public static TagExtractor Default { get; } = new(DefaultTagRules.Create());

    /// <summary>
    /// Builds the producer for a bootstrap's stats_config plus the command line's --stats-tag pairs;
    /// a tag specifier without regex or fixed value must name a default tag.
    /// </summary>
    public static TagExtractor Create(Proto.StatsConfig? config, IReadOnlyList<KeyValuePair<string, string>>? cliTags = null, string path = "stats_config")
    {
        if (config is null && (cliTags is null || cliTags.Count == 0))
        {
            return Default;
        }
        var rules = new List<TagExtractorRule>();
        if (config?.UseAllDefaultTags ?? true)
        {
            rules.AddRange(DefaultTagRules.Create());
        }
        foreach (var (name, value) in cliTags ?? [])
        {
            rules.Add(TagExtractorRule.Fixed(name, value));
        }
        for (var i = 0; i < (config?.StatsTags.Count ?? 0); i++)
        {
            var tag = config!.StatsTags[i];
            var tagPath = ConfigPath.Index(ConfigPath.Join(path, "stats_tags"), i);
            if (tag.TagValueCase == Proto.TagSpecifier.TagValueOneofCase.FixedValue)
            {
                rules.Add(TagExtractorRule.Fixed(tag.TagName, tag.FixedValue));
            }
            else if (tag.Regex.Length == 0)
            {
                var found = 0;
                foreach (var rule in DefaultTagRules.Create())
                {
                    if (rule.TagName == tag.TagName)
                    {
                        rules.Add(rule);
                        found++;
                    }
                }
                if (found == 0)
                {
                    throw new ConfigException(tagPath, "No regex specified for tag specifier and no default regex for name: '" + tag.TagName + "'");
                }
            }
            else
            {
                try
                {
                    rules.Add(TagExtractorRule.FromRegex(tag.TagName, tag.Regex));
                }
                catch (ArgumentException e)
                {
                    throw new ConfigException(ConfigPath.Join(tagPath, "regex"), "invalid regex: " + e.Message);
                }
            }
        }
        return new TagExtractor(rules);
    }

    public TaggedStatName Extract(string name) => _cache.GetOrAdd(name, ExtractUncached);

    private TaggedStatName ExtractUncached(string name)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var remove = new bool[name.Length];
        HashSet<string>? sharedDone = null;
        foreach (var rule in _withoutPrefix)
        {
            Apply(rule, name, tags, remove, ref sharedDone);
        }
        var dot = name.IndexOf('.');
        if (dot > 0 && _byPrefix.TryGetValue(name[..dot], out var rules))
        {
            foreach (var rule in rules)
            {
                Apply(rule, name, tags, remove, ref sharedDone);
            }
        }
        if (tags.Count == 0)
        {
            return new TaggedStatName(name, name, []);
        }
        var extracted = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (!remove[i])
            {
                extracted.Append(name[i]);
            }
        }
        return new TaggedStatName(name, extracted.ToString(), tags);
    }

    // Of several rules for one tag name, the first that matches wins (Envoy's duplicate-tag rule).
    private static void Apply(TagExtractorRule rule, string name, List<KeyValuePair<string, string>> tags, bool[] remove, ref HashSet<string>? sharedDone)
    {
        if (rule.SharesName && sharedDone is not null && sharedDone.Contains(rule.TagName))
        {
            return;
        }
        if (rule.TryExtract(name, tags, remove) && rule.SharesName)
        {
            (sharedDone ??= new HashSet<string>(StringComparer.Ordinal)).Add(rule.TagName);
        }
    }
}
