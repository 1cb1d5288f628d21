using Legate.Config;
using Legate.Router.Matchers;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>A VirtualCluster: a named request class for vhost.&lt;vh&gt;.vcluster.&lt;vc&gt;.* stats.</summary>
public sealed class VirtualClusterEntry
{
    /// <summary>Envoy's catch-all for requests that match no virtual cluster (when the vhost has some).</summary>
    public static readonly VirtualClusterEntry Other = new("other", []);

    private readonly HeaderMatcher[] _headers;

    private VirtualClusterEntry(string name, HeaderMatcher[] headers)
    {
        Name = name;
        _headers = headers;
    }

    public string Name { get; }

    public bool Matches(in RouteRequest request) => HeaderMatcher.MatchAll(_headers, request);

    internal static VirtualClusterEntry Compile(Proto.VirtualCluster config, string path)
    {
        if (config.Name.Length == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "virtual cluster name must not be empty");
        }
        if (config.Headers.Count == 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "headers"), "virtual clusters must define 'headers'");
        }
        return new VirtualClusterEntry(config.Name, HeaderMatcher.CompileAll(config.Headers, ConfigPath.Join(path, "headers")));
    }
}
