using Envoy.Config.Core.V3;

namespace Legate.Xds;

/// <summary>Creates subscriptions for a ConfigSource (path, path_config_source, api_config_source, ads).</summary>
public interface ISubscriptionFactory
{
    /// <param name="source">The config source from the bootstrap or a resource.</param>
    /// <param name="typeUrl">e.g. <c>type.googleapis.com/envoy.config.cluster.v3.Cluster</c>.</param>
    /// <param name="callbacks">The resource type's handler.</param>
    /// <param name="stats">The subscription's stats scope (update_attempt, update_success, ...).</param>
    /// <param name="path">Field path of the ConfigSource, for errors.</param>
    ISubscription Create(ConfigSource source, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, string path);
}
