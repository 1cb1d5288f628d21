using Legate.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>One forwarder config per (cluster, downstream protocol, idle timeout), built once.</summary>
internal sealed class ForwarderConfigCache
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(UpstreamCluster, bool, TimeSpan), ForwarderRequestConfig> _configs = new();

    public ForwarderRequestConfig Get(UpstreamCluster cluster, bool downstreamHttp2, TimeSpan idle) =>
        _configs.GetOrAdd((cluster, downstreamHttp2, idle), static key =>
        {
            var (c, h2, activity) = key;
            var (version, policy) = c.VersionFor(h2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11);
            return new ForwarderRequestConfig { ActivityTimeout = activity, Version = version, VersionPolicy = policy };
        });
}
