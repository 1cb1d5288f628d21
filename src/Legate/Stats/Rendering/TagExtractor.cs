using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Legate.Stats.Rendering;

/// <summary>A stat name with Envoy's default tags pulled out: <c>cluster.foo.upstream_rq_200</c> becomes
/// <c>cluster.upstream_rq</c> with envoy.response_code=200 and envoy.cluster_name=foo.</summary>
public sealed record TaggedStatName(string Name, string ExtractedName, IReadOnlyList<KeyValuePair<string, string>> Tags);

/// <summary>
/// Envoy's default tag extractors (the well-known tag names and their regexes). Every extractor runs on
/// the original name, in order; the first capture group is cut out of the name and the second (or the
/// first when there is only one) is the tag value. Results are cached per name: stat names are few and stable.
/// </summary>
public sealed class TagExtractor
{
    // Envoy's address shapes in stat names: ip_port or [v6]_port.
    private const string Address = @"(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}_\d+|\[[_aAbBcCdDeEfF0-9]+\]_\d+)";

    private readonly Descriptor[] _descriptors;
    private readonly ConcurrentDictionary<string, TaggedStatName> _cache = new(StringComparer.Ordinal);

    private TagExtractor(Descriptor[] descriptors) => _descriptors = descriptors;

    public static TagExtractor Default { get; } = new(
    [
        new("envoy.response_code", @"_rq(_(\d{3}))$", "_rq_"),
        new("envoy.response_code_class", @"_rq_(\d)xx$", "_rq_"),
        new("envoy.http_user_agent", @"^http(?=\.).*?\.user_agent\.((.*?)\.)\w+?$", ".user_agent."),
        new("envoy.virtual_cluster", @"^vhost(?=\.).*?\.vcluster\.((.*?)\.)\w+?$", ".vcluster."),
        new("envoy.fault_downstream_cluster", @"^http(?=\.).*?\.fault\.((.*?)\.)\w+?$", ".fault."),
        new("envoy.ssl_cipher", @"^listener(?=\.).*?\.ssl\.cipher(\.(.*?))$", null),
        new("cipher_suite", @"^cluster(?=\.).*?\.ssl\.ciphers(\.(.*?))$", ".ssl.ciphers."),
        new("envoy.grpc_bridge_service", @"^cluster(?=\.).*?\.grpc\.((.*?)\.)", ".grpc."),
        new("envoy.tcp_prefix", @"^tcp\.((.*?)\.)\w+?$", null),
        new("envoy.udp_prefix", @"^udp\.((.*?)\.)\w+?$", null),
        new("envoy.clientssl_prefix", @"^auth\.clientssl\.((.*?)\.)\w+?$", null),
        new("envoy.ratelimit_prefix", @"^ratelimit\.((.*?)\.)\w+?$", null),
        new("envoy.cluster_name", @"^cluster\.(([^\.]+)\.).*", null),
        new("envoy.http_conn_manager_prefix", @"^listener(?=\.).*?\.http\.((.*?)\.)", ".http."),
        new("envoy.http_conn_manager_prefix", @"^http\.((.*?)\.)", null),
        new("envoy.listener_address", @"^listener\.((" + Address + @")\.)", null),
        new("envoy.virtual_host", @"^vhost\.((.*?)\.)", null),
        new("envoy.rds_route_config", @"^http(?=\.).*?\.rds\.((.*?)\.)\w+?$", ".rds."),
        new("envoy.worker_id", @"^listener_manager\.((worker_\d+)\.)", "listener_manager.worker_"),
    ]);

    public TaggedStatName Extract(string name) => _cache.GetOrAdd(name, ExtractUncached);

    private TaggedStatName ExtractUncached(string name)
    {
        List<KeyValuePair<string, string>>? tags = null;
        bool[]? remove = null;
        foreach (var descriptor in _descriptors)
        {
            if (descriptor.Substring is { } sub && !name.Contains(sub, StringComparison.Ordinal))
            {
                continue;
            }
            var match = descriptor.Regex.Match(name);
            if (!match.Success)
            {
                continue;
            }
            var removed = match.Groups[1];
            var value = match.Groups.Count > 2 && match.Groups[2].Success ? match.Groups[2] : removed;
            tags ??= [];
            tags.Add(new(descriptor.TagName, value.Value));
            remove ??= new bool[name.Length];
            for (var i = removed.Index; i < removed.Index + removed.Length; i++)
            {
                remove[i] = true;
            }
        }
        if (tags is null || remove is null)
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

    private sealed class Descriptor(string tagName, string pattern, string? substring)
    {
        public string TagName { get; } = tagName;

        public Regex Regex { get; } = new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

        public string? Substring { get; } = substring;
    }
}
