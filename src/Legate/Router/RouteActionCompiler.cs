using Legate.Config;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>Compiles a RouteAction (the forwarding action) into a <see cref="RouteEntrySpec"/>.</summary>
internal static class RouteActionCompiler
{
    public static void Compile(Proto.RouteAction action, string path, RouteMatchCriteria match, RouteEntrySpec spec, RouteBuildScope scope)
    {
        CompileClusterSpecifier(action, path, spec, scope);
        spec.ClusterNotFoundStatusCode = action.ClusterNotFoundResponseCode switch
        {
            Proto.RouteAction.Types.ClusterNotFoundResponseCode.NotFound => 404,
            Proto.RouteAction.Types.ClusterNotFoundResponseCode.InternalServerError => 500,
            _ => 503,
        };
        CompilePathRewrite(action, path, match, spec);
        spec.HostRewrite = CompileHostRewrite(action, path);
        spec.Timeout = action.Timeout is null ? RouteEntry.DefaultTimeout : NullIfZero(action.Timeout.ToTimeSpan());
        spec.IdleTimeout = action.IdleTimeout?.ToTimeSpan();
        spec.Priority = action.Priority;
        spec.Upgrades = CompileUpgrades(action, path);
        if (action.RetryPolicy is not null)
        {
            spec.RetryPolicy = RetryPolicyEntry.Compile(action.RetryPolicy, ConfigPath.Join(path, "retry_policy"));
        }
        if (action.RequestMirrorPolicies.Count > 0)
        {
            spec.MirrorPolicies = MirrorPolicyEntry.CompileAll(action.RequestMirrorPolicies, ConfigPath.Join(path, "request_mirror_policies"),
                scope.ClusterExists);
        }
    }

    private static void CompileClusterSpecifier(Proto.RouteAction action, string path, RouteEntrySpec spec, RouteBuildScope scope)
    {
        switch (action.ClusterSpecifierCase)
        {
            case Proto.RouteAction.ClusterSpecifierOneofCase.Cluster:
                if (action.Cluster.Length == 0)
                {
                    throw new ConfigException(ConfigPath.Join(path, "cluster"), "cluster must not be empty");
                }
                if (scope.ClusterExists is not null && !scope.ClusterExists(action.Cluster))
                {
                    throw new ConfigException(ConfigPath.Join(path, "cluster"), "unknown cluster '" + action.Cluster + "'");
                }
                spec.Cluster = action.Cluster;
                break;
            case Proto.RouteAction.ClusterSpecifierOneofCase.ClusterHeader:
                if (action.ClusterHeader.Length == 0)
                {
                    throw new ConfigException(ConfigPath.Join(path, "cluster_header"), "cluster_header must not be empty");
                }
                spec.ClusterHeader = action.ClusterHeader.ToLowerInvariant();
                break;
            case Proto.RouteAction.ClusterSpecifierOneofCase.WeightedClusters:
                var weightedPath = ConfigPath.Join(path, "weighted_clusters");
                var set = WeightedClusterSet.Compile(action.WeightedClusters, weightedPath, scope.Formatter);
                if (scope.ClusterExists is not null)
                {
                    for (var i = 0; i < set.Entries.Count; i++)
                    {
                        var name = set.Entries[i].Name;
                        if (name is not null && !scope.ClusterExists(name))
                        {
                            throw new ConfigException(ConfigPath.Join(ConfigPath.Index(ConfigPath.Join(weightedPath, "clusters"), i), "name"),
                                "unknown weighted cluster '" + name + "'");
                        }
                    }
                }
                spec.WeightedClusters = set;
                break;
            case Proto.RouteAction.ClusterSpecifierOneofCase.ClusterSpecifierPlugin:
            case Proto.RouteAction.ClusterSpecifierOneofCase.InlineClusterSpecifierPlugin:
                throw new ConfigException(path, "cluster specifier plugins are not supported");
            default:
                throw new ConfigException(path, "one of cluster, cluster_header or weighted_clusters must be set");
        }
    }

    private static void CompilePathRewrite(Proto.RouteAction action, string path, RouteMatchCriteria match, RouteEntrySpec spec)
    {
        var count = (action.PrefixRewrite.Length > 0 ? 1 : 0) + (action.RegexRewrite is not null ? 1 : 0) +
                    (action.PathRewritePolicy is not null ? 1 : 0);
        if (count > 1)
        {
            throw new ConfigException(path, "Specify only one of prefix_rewrite, regex_rewrite or path_rewrite_policy");
        }
        if (action.PathRewritePolicy is not null)
        {
            throw new ConfigException(ConfigPath.Join(path, "path_rewrite_policy"), "path_rewrite_policy extensions are not supported");
        }
        if (action.PathRewrite.Length > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "path_rewrite"), "path_rewrite is not supported");
        }
        if (action.PrefixRewrite.Length > 0)
        {
            if (match.Path.Kind == PathMatcher.PathKind.Connect)
            {
                throw new ConfigException(ConfigPath.Join(path, "prefix_rewrite"), "prefix_rewrite cannot be used with connect_matcher");
            }
            spec.PrefixRewrite = action.PrefixRewrite;
        }
        else if (action.RegexRewrite is not null)
        {
            var regexPath = ConfigPath.Join(path, "regex_rewrite");
            spec.RegexRewrite = Re2Regex.CompileSearch(RedirectSpec.RequirePattern(action.RegexRewrite, regexPath),
                ConfigPath.Join(regexPath, "pattern.regex"));
            spec.RegexSubstitution = Re2Regex.TranslateSubstitution(action.RegexRewrite.Substitution);
        }
    }

    private static HostRewrite CompileHostRewrite(Proto.RouteAction action, string path)
    {
        var append = action.AppendXForwardedHost;
        switch (action.HostRewriteSpecifierCase)
        {
            case Proto.RouteAction.HostRewriteSpecifierOneofCase.HostRewriteLiteral when action.HostRewriteLiteral.Length > 0:
                return new HostRewrite(HostRewriteKind.Literal, action.HostRewriteLiteral, null, null, null, append);
            case Proto.RouteAction.HostRewriteSpecifierOneofCase.AutoHostRewrite when action.AutoHostRewrite == true:
                return new HostRewrite(HostRewriteKind.AutoHostRewrite, null, null, null, null, append);
            case Proto.RouteAction.HostRewriteSpecifierOneofCase.HostRewriteHeader when action.HostRewriteHeader.Length > 0:
                return new HostRewrite(HostRewriteKind.Header, null, action.HostRewriteHeader.ToLowerInvariant(), null, null, append);
            case Proto.RouteAction.HostRewriteSpecifierOneofCase.HostRewritePathRegex:
                var regexPath = ConfigPath.Join(path, "host_rewrite_path_regex");
                var regex = Re2Regex.CompileSearch(RedirectSpec.RequirePattern(action.HostRewritePathRegex, regexPath),
                    ConfigPath.Join(regexPath, "pattern.regex"));
                return new HostRewrite(HostRewriteKind.PathRegex, null, null, regex,
                    Re2Regex.TranslateSubstitution(action.HostRewritePathRegex.Substitution), append);
            case Proto.RouteAction.HostRewriteSpecifierOneofCase.HostRewrite:
                throw new ConfigException(ConfigPath.Join(path, "host_rewrite"), "host_rewrite is not supported; use host_rewrite_literal");
            default:
                return append ? new HostRewrite(HostRewriteKind.None, null, null, null, null, true) : HostRewrite.None;
        }
    }

    private static Dictionary<string, bool>? CompileUpgrades(Proto.RouteAction action, string path)
    {
        if (action.UpgradeConfigs.Count == 0)
        {
            return null;
        }
        var upgrades = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < action.UpgradeConfigs.Count; i++)
        {
            var upgrade = action.UpgradeConfigs[i];
            var itemPath = ConfigPath.Index(ConfigPath.Join(path, "upgrade_configs"), i);
            if (upgrade.UpgradeType.Length == 0)
            {
                throw new ConfigException(ConfigPath.Join(itemPath, "upgrade_type"), "upgrade_type must not be empty");
            }
            if (!upgrades.TryAdd(upgrade.UpgradeType, upgrade.Enabled ?? true))
            {
                throw new ConfigException(itemPath, "Duplicate upgrade " + upgrade.UpgradeType);
            }
            if (upgrade.ConnectConfig is not null &&
                !string.Equals(upgrade.UpgradeType, "CONNECT", StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(upgrade.UpgradeType, "connect-udp", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConfigException(itemPath, "Non-CONNECT upgrade type " + upgrade.UpgradeType + " has ConnectConfig");
            }
        }
        return upgrades;
    }

    private static TimeSpan? NullIfZero(TimeSpan value) => value == TimeSpan.Zero ? null : value;
}
