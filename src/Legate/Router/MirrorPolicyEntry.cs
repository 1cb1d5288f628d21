using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>A RequestMirrorPolicy (shadowing), compiled. Route policies override virtual host ones, which override the route config's.</summary>
public sealed class MirrorPolicyEntry
{
    private MirrorPolicyEntry(Proto.RouteAction.Types.RequestMirrorPolicy config)
    {
        Config = config;
        Cluster = config.Cluster.Length > 0 ? config.Cluster : null;
        ClusterHeader = config.ClusterHeader.Length > 0 ? config.ClusterHeader.ToLowerInvariant() : null;
        // Without runtime_fraction every request is mirrored.
        Fraction = config.RuntimeFraction is null ? new FractionalPercent(100, 100) : FractionalPercent.From(config.RuntimeFraction.DefaultValue);
        HostRewriteLiteral = config.HostRewriteLiteral.Length > 0 ? config.HostRewriteLiteral : null;
    }

    public Proto.RouteAction.Types.RequestMirrorPolicy Config { get; }

    public string? Cluster { get; }

    public string? ClusterHeader { get; }

    public FractionalPercent Fraction { get; }

    public bool DisableShadowHostSuffixAppend => Config.DisableShadowHostSuffixAppend;

    public string? HostRewriteLiteral { get; }

    public bool? TraceSampled => Config.TraceSampled;

    public string? ClusterFor(in RouteRequest request) => Cluster ?? request.FirstHeaderValue(ClusterHeader!);

    public bool Enabled(ulong randomValue) => Fraction.Enabled(randomValue);

    /// <summary>`foo` → `foo-shadow`, `foo:80` → `foo-shadow:80`.</summary>
    public static string ShadowAuthority(string authority)
    {
        var portStart = PathText.PortStart(authority);
        return portStart < 0 ? authority + "-shadow" : string.Concat(authority.AsSpan(0, portStart), "-shadow", authority.AsSpan(portStart));
    }

    internal static MirrorPolicyEntry[] CompileAll(Google.Protobuf.Collections.RepeatedField<Proto.RouteAction.Types.RequestMirrorPolicy> configs,
        string path, Func<string, bool>? clusterExists)
    {
        if (configs.Count == 0)
        {
            return [];
        }
        var result = new MirrorPolicyEntry[configs.Count];
        for (var i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var itemPath = ConfigPath.Index(path, i);
            if (config.Cluster.Length > 0 && config.ClusterHeader.Length > 0)
            {
                throw new ConfigException(itemPath, "Only one of cluster '" + config.Cluster + "' or cluster_header '" + config.ClusterHeader +
                                                    "' in request mirror policy can be specified");
            }
            if (config.Cluster.Length == 0 && config.ClusterHeader.Length == 0)
            {
                throw new ConfigException(itemPath, "Exactly one of cluster or cluster_header in request mirror policy need to be specified");
            }
            if (clusterExists is not null && config.Cluster.Length > 0 && !clusterExists(config.Cluster))
            {
                throw new ConfigException(ConfigPath.Join(itemPath, "cluster"), "unknown shadow cluster '" + config.Cluster + "'");
            }
            result[i] = new MirrorPolicyEntry(config);
        }
        return result;
    }
}
