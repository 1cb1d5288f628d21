using Envoy.Config.Bootstrap.V3;

namespace Legate.Config;

/// <summary>
/// Bootstrap checks Envoy makes before building anything. Checks that need a component (routes naming
/// undefined clusters, router not last, unknown filter types) belong to the code that builds it.
/// </summary>
public static class BootstrapValidator
{
    /// <exception cref="ConfigException">the first problem found, with its field path.</exception>
    public static void Validate(Bootstrap bootstrap)
    {
        var resources = bootstrap.StaticResources;
        if (resources is null)
        {
            return;
        }
        var listenerNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Listeners.Count; i++)
        {
            var listener = resources.Listeners[i];
            var path = ConfigPath.Index("static_resources.listeners", i);
            // An unnamed listener gets a generated name, so only explicit names can clash.
            if (listener.Name.Length > 0 && !listenerNames.Add(listener.Name))
            {
                throw new ConfigException(ConfigPath.Join(path, "name"), $"duplicate listener name \"{listener.Name}\"");
            }
            // API and internal listeners are not bound to a socket.
            if (listener.Address is null && listener.ApiListener is null && listener.InternalListener is null)
            {
                throw new ConfigException(ConfigPath.Join(path, "address"), "listener address is required");
            }
        }
        var clusterNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < resources.Clusters.Count; i++)
        {
            var cluster = resources.Clusters[i];
            var path = ConfigPath.Join(ConfigPath.Index("static_resources.clusters", i), "name");
            if (cluster.Name.Length == 0)
            {
                throw new ConfigException(path, "cluster name is required");
            }
            if (!clusterNames.Add(cluster.Name))
            {
                throw new ConfigException(path, $"duplicate cluster name \"{cluster.Name}\"");
            }
        }
    }
}
