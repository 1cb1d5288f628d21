using Legate.AccessLog;
using Legate.Extensions;
using Legate.Stats;
using Legate.Upstream;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Legate.Server;

/// <summary>
/// Process-wide services every component is built with: stats, the cluster manager, the extension
/// registry, logging and the upstream forwarder. One per running server.
/// </summary>
public sealed class ServerContext
{
    public ServerContext(
        StatsStore stats,
        ClusterManager clusterManager,
        ExtensionRegistry extensions,
        ILoggerFactory loggerFactory,
        IHttpForwarder forwarder,
        AccessLogContext accessLogContext,
        LocalInfo localInfo)
    {
        Stats = stats;
        ClusterManager = clusterManager;
        Extensions = extensions;
        LoggerFactory = loggerFactory;
        Forwarder = forwarder;
        AccessLogContext = accessLogContext;
        LocalInfo = localInfo;
        Secrets = new Tls.SecretManager(stats, loggerFactory);
    }

    public StatsStore Stats { get; }

    public ClusterManager ClusterManager { get; }

    public ExtensionRegistry Extensions { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IHttpForwarder Forwarder { get; }

    public AccessLogContext AccessLogContext { get; }

    public LocalInfo LocalInfo { get; }

    /// <summary>Static and SDS secrets (TLS certificates, validation contexts) by name.</summary>
    public Tls.SecretManager Secrets { get; }

    /// <summary>Set by /healthcheck/fail and during shutdown drain.</summary>
    public bool Draining { get; set; }

    /// <summary>RDS route configurations shared by connection managers; null when the server runs without xDS (bare unit tests).</summary>
    public Xds.Rds.RouteConfigProviderManager? RouteConfigProviders { get; set; }

    /// <summary>When config is only being validated (--mode validate): build everything, bind nothing.</summary>
    public bool ValidateOnly { get; init; }
}
