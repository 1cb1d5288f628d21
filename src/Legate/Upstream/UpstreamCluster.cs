using System.Net;
using System.Net.Http;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Legate.Config;
using Legate.Stats;
using Legate.Upstream.Clusters;
using Legate.Upstream.Http;
using Legate.Upstream.LoadBalancing;
using Microsoft.Extensions.Logging;
using Cluster = Envoy.Config.Cluster.V3.Cluster;

namespace Legate.Upstream;

/// <summary>
/// One upstream cluster: its config, stats, HTTP client (one SocketsHttpHandler, pooled per host) and
/// the current priority-set snapshot. ChooseHost reads the snapshot without locks; discovery (DNS,
/// EDS) builds a new snapshot and swaps it in.
/// </summary>
public sealed class UpstreamCluster : IHostSink, IDisposable
{
    public const double DefaultHealthyPanicThreshold = 50;
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(5);
    public const uint DefaultPerConnectionBufferLimitBytes = 1024 * 1024;

    private readonly Lock _hostsGate = new();
    private readonly IHostDiscovery _discovery;
    private readonly ILoadBalancerPolicy _lbPolicy;
    private readonly ILogger _logger;
    private readonly double _panicThreshold;
    private Dictionary<string, Host> _hostsByKey = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private PrioritySet _prioritySet = PrioritySet.Empty;
    private HttpMessageInvoker? _invoker;
    private ResourceManager? _defaultResources;
    private ResourceManager? _highResources;
    private int _disposed;

    internal UpstreamCluster(Cluster config, string path, bool addedViaApi, StatsStore stats, ILogger logger, TimeProvider time)
    {
        // Everything that can reject the config runs before anything with side effects (stats, sockets).
        if (string.IsNullOrEmpty(config.Name))
        {
            throw new ConfigException(ConfigPath.Join(path, "name"), "value length must be at least 1 characters");
        }
        ConnectTimeout = DefaultConnectTimeout;
        if (config.ConnectTimeout is not null)
        {
            ConnectTimeout = config.ConnectTimeout.ToTimeSpan();
            if (ConnectTimeout <= TimeSpan.Zero)
            {
                throw new ConfigException(ConfigPath.Join(path, "connect_timeout"), "value must be greater than 0s");
            }
        }
        RejectUnsupportedTransport(config, path);
        _panicThreshold = DefaultHealthyPanicThreshold;
        if (config.CommonLbConfig?.HealthyPanicThreshold is { } threshold)
        {
            if (threshold.Value is < 0 or > 100 || double.IsNaN(threshold.Value))
            {
                throw new ConfigException(ConfigPath.Join(path, "common_lb_config.healthy_panic_threshold.value"), "value must be inside range [0, 100]");
            }
            _panicThreshold = threshold.Value;
        }
        var clusterType = ClusterTypes.Find(config, path);
        _lbPolicy = LoadBalancerFactories.Create(config, path);
        ProtocolOptions = UpstreamProtocolOptions.Parse(config, path);
        _discovery = clusterType.Create(config, path, new ClusterTypeContext(logger, time));

        Name = config.Name;
        StatName = StatNames.Sanitize(config.AltStatName.Length > 0 ? config.AltStatName : config.Name);
        Config = config;
        Path = path;
        AddedViaApi = addedViaApi;
        ClusterTypeName = clusterType.Name;
        LastUpdated = time.GetUtcNow();
        _logger = logger;
        PerConnectionBufferLimitBytes = config.PerConnectionBufferLimitBytes ?? DefaultPerConnectionBufferLimitBytes;
        DefaultPriorityThresholds = CircuitBreakerThresholds.For(config.CircuitBreakers, RoutingPriority.Default);
        HighPriorityThresholds = CircuitBreakerThresholds.For(config.CircuitBreakers, RoutingPriority.High);
        (Version, VersionPolicy) = ProtocolOptions.Protocol == UpstreamHttpProtocol.Http2
            ? (HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact)
            : (HttpVersion.Version11, HttpVersionPolicy.RequestVersionExact);
        Stats = new ClusterStats(stats.Scope("cluster." + StatName));
        // With track_remaining Envoy lists the remaining_* gauges from the start; only those clusters pay for them early.
        if (DefaultPriorityThresholds.TrackRemaining)
        {
            Resources(RoutingPriority.Default);
        }
        if (HighPriorityThresholds.TrackRemaining)
        {
            Resources(RoutingPriority.High);
        }
        _time = time;
        WarnAboutIgnoredSettings(config);
    }

    public string Name { get; }

    /// <summary>alt_stat_name or name, with ':' replaced by '_' (the "cluster.&lt;x&gt;." part of stat names).</summary>
    public string StatName { get; }

    public Cluster Config { get; }

    /// <summary>Where the config came from, e.g. static_resources.clusters[1].</summary>
    public string Path { get; }

    /// <summary>False for bootstrap static clusters (/clusters added_via_api).</summary>
    public bool AddedViaApi { get; }

    /// <summary>When this cluster object was built (config_dump last_updated).</summary>
    public DateTimeOffset LastUpdated { get; }

    /// <summary>The discovery type's extension name, e.g. envoy.cluster.strict_dns.</summary>
    public string ClusterTypeName { get; }

    /// <summary>The lb policy's extension name, e.g. envoy.load_balancing_policies.round_robin.</summary>
    public string LbPolicyName => _lbPolicy.Name;

    /// <summary>eds_cluster_config.service_name if set (EDS resource name; /clusters eds_service_name).</summary>
    public string? EdsServiceName => Config.EdsClusterConfig?.ServiceName is { Length: > 0 } s ? s : null;

    public ClusterStats Stats { get; }

    /// <summary>
    /// One per cluster; pools connections per host. Send through it with <see cref="Version"/>/<see cref="VersionPolicy"/>.
    /// Created on first use: most clusters of a large config may never see a request, and a handler with
    /// its settings costs about a kilobyte each.
    /// </summary>
    public HttpMessageInvoker Invoker => Volatile.Read(ref _invoker) ?? CreateInvoker();

    public UpstreamProtocolOptions ProtocolOptions { get; }

    public UpstreamHttpProtocol Protocol => ProtocolOptions.Protocol;

    /// <summary>HTTP version for upstream requests (for UseDownstream use <see cref="VersionFor"/>).</summary>
    public Version Version { get; }

    public HttpVersionPolicy VersionPolicy { get; }

    public TimeSpan ConnectTimeout { get; }

    /// <summary>common_http_protocol_options.idle_timeout: pooled connections idle this long are closed (infinite when 0).</summary>
    public TimeSpan IdleTimeout => ProtocolOptions.IdleTimeout;

    /// <summary>common_http_protocol_options.max_stream_duration, for the router to enforce.</summary>
    public TimeSpan? MaxStreamDuration => ProtocolOptions.Common?.MaxStreamDuration is { } d && d.ToTimeSpan() > TimeSpan.Zero ? d.ToTimeSpan() : null;

    /// <summary>Recorded only; SocketsHttpHandler manages its own buffers.</summary>
    public uint PerConnectionBufferLimitBytes { get; }

    public CircuitBreakerThresholds DefaultPriorityThresholds { get; }

    public CircuitBreakerThresholds HighPriorityThresholds { get; }

    /// <summary>
    /// The circuit breakers in force for requests of a routing priority. Created on first use, like the
    /// invoker: a cluster that never sees a request needs no counters.
    /// </summary>
    public ResourceManager Resources(RoutingPriority priority) => priority == RoutingPriority.High
        ? Volatile.Read(ref _highResources) ?? CreateResources(ref _highResources, HighPriorityThresholds)
        : Volatile.Read(ref _defaultResources) ?? CreateResources(ref _defaultResources, DefaultPriorityThresholds);

    /// <summary>The current hosts by priority (immutable snapshot).</summary>
    public PrioritySet PrioritySet => Volatile.Read(ref _prioritySet);

    /// <summary>Completes when the first discovery round ended (DNS resolved or failed; immediately for STATIC/EDS).</summary>
    public Task Initialized => _discovery.Initialized;

    internal bool WaitForWarmOnInit => _discovery.WaitForWarmOnInit;

    /// <summary>The version and policy for an upstream request given the downstream request's version.</summary>
    public (Version Version, HttpVersionPolicy Policy) VersionFor(Version downstream)
    {
        if (Protocol != UpstreamHttpProtocol.UseDownstream)
        {
            return (Version, VersionPolicy);
        }
        return downstream.Major >= 2
            ? (HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact)
            : (HttpVersion.Version11, HttpVersionPolicy.RequestVersionExact);
    }

    /// <summary>
    /// Picks a host per priority load, panic mode and lb_policy. Null means no host can take the request
    /// (the caller answers 503 "no healthy upstream"); upstream_cx_none_healthy is already counted then.
    /// </summary>
    public Host? ChooseHost(in LoadBalancerContext context)
    {
        var host = Volatile.Read(ref _prioritySet).Choose(in context, out var panic);
        if (panic)
        {
            Stats.LbHealthyPanic.Inc();
        }
        if (host is null)
        {
            Stats.UpstreamCxNoneHealthy.Inc();
        }
        return host;
    }

    /// <summary>
    /// Replaces the hosts from a ClusterLoadAssignment (EDS). Addresses must be IP literals. Hosts whose
    /// address stays keep their Host object (stats, pooled connections). Throws ConfigException (nothing
    /// changed) for an invalid assignment; <paramref name="path"/> is the assignment's own path.
    /// </summary>
    public void UpdateHosts(ClusterLoadAssignment assignment, string path)
    {
        var hosts = LoadAssignmentParser.ToIpHosts(LoadAssignmentParser.Parse(assignment, path));
        SetHosts(hosts, LoadAssignmentParser.OverprovisioningFactor(assignment), LoadAssignmentParser.WeightedPriorityHealth(assignment));
    }

    ClusterStats IHostSink.Stats => Stats;

    bool IHostSink.SetHosts(IReadOnlyList<HostDescription> hosts, uint overprovisioningFactor, bool weightedPriorityHealth) =>
        SetHosts(hosts, overprovisioningFactor, weightedPriorityHealth);

    internal void Start() => _discovery.Start(this);

    /// <summary>Whether its pools and clients are gone (after its drain, once replaced or removed).</summary>
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _discovery.Dispose();
        Volatile.Read(ref _invoker)?.Dispose();
        lock (_hostsGate)
        {
            foreach (var host in _hostsByKey.Values)
            {
                host.ClosePools();
            }
        }
    }

    private ResourceManager CreateResources(ref ResourceManager? field, CircuitBreakerThresholds thresholds)
    {
        var created = new ResourceManager(thresholds, Stats.Scope);
        return Interlocked.CompareExchange(ref field, created, null) ?? created;
    }

    private HttpMessageInvoker CreateInvoker()
    {
        var created = new HttpMessageInvoker(UpstreamHttpHandlerFactory.Create(this, ProtocolOptions, _time), disposeHandler: true);
        var winner = Interlocked.CompareExchange(ref _invoker, created, null);
        if (winner is not null)
        {
            created.Dispose();
            return winner;
        }
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Dispose ran before the invoker was published: it is unusable, as it would have been if created eagerly.
            created.Dispose();
        }
        return created;
    }

    /// <summary>Stops discovery now; the HTTP client stays usable for in-flight requests until <see cref="Dispose"/>.</summary>
    internal void StopDiscovery() => _discovery.Dispose();

    private bool SetHosts(IReadOnlyList<HostDescription> descriptions, uint overprovisioningFactor, bool weightedPriorityHealth)
    {
        lock (_hostsGate)
        {
            var previous = _hostsByKey;
            var next = new Dictionary<string, Host>(descriptions.Count, StringComparer.Ordinal);
            var hosts = new List<Host>(descriptions.Count);
            var changed = false;
            var reused = 0;
            foreach (var description in descriptions)
            {
                var key = description.Key;
                for (var n = 2; next.ContainsKey(key); n++)
                {
                    // The same address listed twice is two hosts, as in Envoy.
                    key = description.Key + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                if (previous.TryGetValue(key, out var host))
                {
                    host.Apply(description);
                    host.SwapAddress(description.EndPoint);
                    reused++;
                }
                else
                {
                    host = new Host(description);
                    changed = true;
                }
                next[key] = host;
                hosts.Add(host);
            }
            changed |= reused != previous.Count;
            foreach (var (key, old) in previous)
            {
                if (!next.TryGetValue(key, out var kept) || kept != old)
                {
                    old.ClosePools();
                }
            }

            var snapshot = PrioritySet.Build(hosts, overprovisioningFactor, _panicThreshold, weightedPriorityHealth, _lbPolicy);
            _hostsByKey = next;
            Volatile.Write(ref _prioritySet, snapshot);
            UpdateMembershipStats(hosts, changed);
            return changed;
        }
    }

    private void UpdateMembershipStats(List<Host> hosts, bool changed)
    {
        long healthy = 0, degraded = 0, excluded = 0;
        uint maxWeight = 0;
        foreach (var host in hosts)
        {
            switch (host.Health)
            {
                case HostHealth.Healthy:
                    healthy++;
                    break;
                case HostHealth.Degraded:
                    degraded++;
                    break;
                case HostHealth.Excluded:
                    excluded++;
                    break;
            }
            maxWeight = Math.Max(maxWeight, host.Weight);
        }
        Stats.SetMembership(hosts.Count, healthy, degraded, excluded);
        Stats.MaxHostWeight.Set(maxWeight);
        if (changed)
        {
            Stats.MembershipChange.Inc();
        }
    }

    private static void RejectUnsupportedTransport(Cluster config, string path)
    {
        if (config.TransportSocket is { } socket && socket.Name != "envoy.transport_sockets.raw_buffer")
        {
            throw new ConfigException(ConfigPath.Join(path, "transport_socket"), "unsupported upstream transport socket " + socket.Name + " (upstream TLS is not implemented yet)");
        }
        if (config.TransportSocketMatches.Count > 0)
        {
            throw new ConfigException(ConfigPath.Join(path, "transport_socket_matches"), "transport_socket_matches is not supported");
        }
    }

    private void WarnAboutIgnoredSettings(Cluster config)
    {
        if (config.HealthChecks.Count > 0)
        {
            _logger.LogWarning("cluster {Cluster}: health_checks are not implemented yet; hosts keep their EDS/static health", config.Name);
        }
        if (config.OutlierDetection is not null)
        {
            _logger.LogWarning("cluster {Cluster}: outlier_detection is not implemented yet", config.Name);
        }
        if (ProtocolOptions.MaxRequestsPerConnection is not null && ProtocolOptions.Protocol != UpstreamHttpProtocol.Http1)
        {
            _logger.LogInformation("cluster {Cluster}: max_requests_per_connection is enforced on HTTP/1.1 upstream connections only (SocketsHttpHandler has no such limit for HTTP/2)", config.Name);
        }
        if (config.CircuitBreakers is { } breakers
            && breakers.Thresholds.Any(t => t.MaxConnectionPools is not null))
        {
            _logger.LogWarning("cluster {Cluster}: circuit_breakers max_connection_pools is not enforced yet", config.Name);
        }
        if (config.RespectDnsTtl)
        {
            _logger.LogInformation("cluster {Cluster}: respect_dns_ttl is accepted but the system resolver gives no TTL; dns_refresh_rate is used", config.Name);
        }
    }
}
