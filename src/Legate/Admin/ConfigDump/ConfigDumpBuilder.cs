using System.Text.RegularExpressions;
using Envoy.Admin.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Upstream;
using HcmProto = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager;

namespace Legate.Admin.ConfigDump;

/// <summary>
/// Builds the per-subsystem dumps of /config_dump in Envoy's config-tracker key order: bootstrap, clusters,
/// endpoint (only with include_eds), listeners, route_scopes, routes, secrets. <c>name_regex</c> (a full
/// match, like Envoy's RE2 matcher) keeps only the resources whose name matches.
/// </summary>
internal sealed class ConfigDumpBuilder
{
    private readonly AdminContext _context;
    private readonly Regex? _names;

    public ConfigDumpBuilder(AdminContext context, Regex? nameRegex)
    {
        _context = context;
        _names = nameRegex;
    }

    public List<IMessage> BuildAll(bool includeEds)
    {
        var dumps = new List<IMessage> { Bootstrap(), Clusters() };
        if (includeEds && _context.Server.ClusterManager.Clusters.Count > 0)
        {
            dumps.Add(Endpoints());
        }
        dumps.Add(Listeners());
        dumps.Add(new ScopedRoutesConfigDump());
        dumps.Add(Routes());
        dumps.Add(Secrets());
        return dumps;
    }

    private Timestamp LoadedAt => Timestamp.FromDateTimeOffset(_context.LoadedAt);

    private bool Keep(string name) => _names is null || _names.IsMatch(name);

    public BootstrapConfigDump Bootstrap() => new()
    {
        Bootstrap = _context.Server.Bootstrap.Clone(),
        LastUpdated = LoadedAt,
    };

    public ClustersConfigDump Clusters()
    {
        var dump = new ClustersConfigDump();
        var cds = _context.Server.Xds.Cds;
        dump.VersionInfo = cds?.VersionInfo ?? string.Empty;
        foreach (var cluster in SortedClusters())
        {
            if (!Keep(cluster.Name))
            {
                continue;
            }
            var updated = Timestamp.FromDateTimeOffset(cluster.LastUpdated);
            if (cluster.AddedViaApi)
            {
                dump.DynamicActiveClusters.Add(DynamicCluster(cluster, cds));
            }
            else
            {
                dump.StaticClusters.Add(new ClustersConfigDump.Types.StaticCluster { Cluster = Any.Pack(cluster.Config), LastUpdated = updated });
            }
        }
        var warming = new List<UpstreamCluster>(_context.Server.ClusterManager.WarmingClusters);
        warming.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var cluster in warming)
        {
            if (Keep(cluster.Name))
            {
                dump.DynamicWarmingClusters.Add(DynamicCluster(cluster, cds));
            }
        }
        return dump;
    }

    private static ClustersConfigDump.Types.DynamicCluster DynamicCluster(UpstreamCluster cluster, Xds.Cds.CdsApi? cds) => new()
    {
        VersionInfo = cds?.VersionOf(cluster.Name) ?? string.Empty,
        Cluster = Any.Pack(cluster.Config),
        LastUpdated = Timestamp.FromDateTimeOffset(cluster.LastUpdated),
        ClientStatus = ClientResourceStatus.Acked,
    };

    public ListenersConfigDump Listeners()
    {
        var dump = new ListenersConfigDump();
        var statics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in StaticListeners())
        {
            statics.Add(listener.Name);
            if (Keep(listener.Name))
            {
                dump.StaticListeners.Add(new ListenersConfigDump.Types.StaticListener { Listener = Any.Pack(listener), LastUpdated = LoadedAt });
            }
        }
        dump.VersionInfo = _context.Server.Xds.Lds?.VersionInfo ?? string.Empty;
        var dynamic = new SortedDictionary<string, ListenersConfigDump.Types.DynamicListener>(StringComparer.Ordinal);
        foreach (var entry in _context.Server.ListenerManager.Entries)
        {
            if (statics.Contains(entry.Name) || !Keep(entry.Name))
            {
                continue;
            }
            if (!dynamic.TryGetValue(entry.Name, out var listener))
            {
                listener = new ListenersConfigDump.Types.DynamicListener { Name = entry.Name, ClientStatus = ClientResourceStatus.Acked };
                dynamic[entry.Name] = listener;
            }
            var state = new ListenersConfigDump.Types.DynamicListenerState
            {
                VersionInfo = entry.VersionInfo,
                Listener = Any.Pack(entry.Config),
                LastUpdated = Timestamp.FromDateTimeOffset(entry.LastUpdated),
            };
            switch (entry.State)
            {
                case Legate.Listeners.ListenerState.Active:
                    listener.ActiveState = state;
                    break;
                case Legate.Listeners.ListenerState.Warming:
                    listener.WarmingState = state;
                    break;
                default:
                    listener.DrainingState = state;
                    break;
            }
        }
        dump.DynamicListeners.AddRange(dynamic.Values);
        return dump;
    }

    public RoutesConfigDump Routes()
    {
        var dump = new RoutesConfigDump();
        foreach (var listener in AllListeners())
        {
            foreach (var chain in Chains(listener))
            {
                foreach (var filter in chain.Filters)
                {
                    if (filter.TypedConfig is { } any && any.Is(HcmProto.Descriptor))
                    {
                        var hcm = any.Unpack<HcmProto>();
                        if (hcm.RouteSpecifierCase == HcmProto.RouteSpecifierOneofCase.RouteConfig && Keep(hcm.RouteConfig.Name))
                        {
                            dump.StaticRouteConfigs.Add(new RoutesConfigDump.Types.StaticRouteConfig
                            {
                                RouteConfig = Any.Pack(hcm.RouteConfig),
                                LastUpdated = LoadedAt,
                            });
                        }
                    }
                }
            }
        }
        foreach (var provider in _context.Server.Xds.Routes.Providers)
        {
            if (provider.Current is { } table && Keep(provider.RouteConfigName))
            {
                dump.DynamicRouteConfigs.Add(new RoutesConfigDump.Types.DynamicRouteConfig
                {
                    VersionInfo = provider.VersionInfo,
                    RouteConfig = Any.Pack(table.Config),
                    LastUpdated = Timestamp.FromDateTimeOffset(provider.LastUpdated ?? _context.LoadedAt),
                    ClientStatus = ClientResourceStatus.Acked,
                });
            }
        }
        return dump;
    }

    /// <summary>Static and SDS secrets; private keys and passwords are redacted by the handler (SecretRedactor).</summary>
    public SecretsConfigDump Secrets()
    {
        var dump = new SecretsConfigDump();
        var secrets = _context.Server.Context.Secrets;
        foreach (var secret in secrets.StaticSecrets)
        {
            if (Keep(secret.Name))
            {
                dump.StaticSecrets.Add(new SecretsConfigDump.Types.StaticSecret { Name = secret.Name, Secret = Any.Pack(secret.Secret), LastUpdated = Timestamp.FromDateTimeOffset(secret.LastUpdated) });
            }
        }
        foreach (var provider in secrets.DynamicSecrets)
        {
            if (!Keep(provider.Name))
            {
                continue;
            }
            var entry = new SecretsConfigDump.Types.DynamicSecret { Name = provider.Name, VersionInfo = provider.VersionInfo };
            if (provider.Current is { } current && provider.LastUpdated is { } updated)
            {
                entry.Secret = Any.Pack(current);
                entry.LastUpdated = Timestamp.FromDateTimeOffset(updated);
                dump.DynamicActiveSecrets.Add(entry);
            }
            else
            {
                dump.DynamicWarmingSecrets.Add(entry);
            }
        }
        return dump;
    }

    /// <summary>The hosts each cluster really has now, as ClusterLoadAssignments (Envoy's include_eds view).</summary>
    public EndpointsConfigDump Endpoints()
    {
        var dump = new EndpointsConfigDump();
        foreach (var cluster in SortedClusters())
        {
            var assignment = new ClusterLoadAssignment
            {
                ClusterName = cluster.EdsServiceName ?? cluster.Name,
                Policy = new ClusterLoadAssignment.Types.Policy(),
            };
            if (!Keep(assignment.ClusterName))
            {
                continue;
            }
            foreach (var set in cluster.PrioritySet.HostSetsPerPriority)
            {
                assignment.Policy.OverprovisioningFactor = set.OverprovisioningFactor;
                foreach (var host in set.Hosts)
                {
                    assignment.Endpoints.Add(LocalityEndpoints(host));
                }
            }
            var config = Any.Pack(assignment);
            if (cluster.AddedViaApi)
            {
                dump.DynamicEndpointConfigs.Add(new EndpointsConfigDump.Types.DynamicEndpointConfig { EndpointConfig = config });
            }
            else
            {
                dump.StaticEndpointConfigs.Add(new EndpointsConfigDump.Types.StaticEndpointConfig { EndpointConfig = config });
            }
        }
        return dump;
    }

    private static LocalityLbEndpoints LocalityEndpoints(Host host)
    {
        var endpoint = new Endpoint { Hostname = host.Hostname };
        if (host.EndPoint is { } ep)
        {
            endpoint.Address = new Address
            {
                SocketAddress = new SocketAddress { Address = ep.Address.ToString(), PortValue = (uint)ep.Port },
            };
        }
        var lb = new LbEndpoint
        {
            Endpoint = endpoint,
            HealthStatus = host.EdsHealthStatus,
            LoadBalancingWeight = host.Weight,
        };
        if (host.Metadata is { } metadata)
        {
            lb.Metadata = metadata.Clone();
        }
        var locality = new LocalityLbEndpoints { Locality = host.Locality.Clone(), Priority = host.Priority };
        locality.LbEndpoints.Add(lb);
        return locality;
    }

    private List<UpstreamCluster> SortedClusters()
    {
        var clusters = new List<UpstreamCluster>(_context.Server.ClusterManager.Clusters);
        clusters.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return clusters;
    }

    private IEnumerable<Listener> StaticListeners() =>
        _context.Server.Bootstrap.StaticResources?.Listeners ?? (IEnumerable<Listener>)[];

    private List<Listener> AllListeners()
    {
        var all = new List<Listener>(StaticListeners());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in all)
        {
            names.Add(l.Name);
        }
        foreach (var active in ListenerSnapshot.Sorted(_context))
        {
            if (names.Add(active.Name))
            {
                all.Add(active.Definition.Config);
            }
        }
        return all;
    }

    private static IEnumerable<FilterChain> Chains(Listener listener)
    {
        foreach (var chain in listener.FilterChains)
        {
            yield return chain;
        }
        if (listener.DefaultFilterChain is { } fallback)
        {
            yield return fallback;
        }
    }
}
