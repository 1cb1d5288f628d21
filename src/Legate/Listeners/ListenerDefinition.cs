using System.Net;
using Envoy.Config.Listener.V3;

namespace Legate.Listeners;

/// <summary>A listener built from config and ready to bind: address, filter chains and stats.</summary>
public sealed class ListenerDefinition
{
    public ListenerDefinition(Listener config, IPEndPoint endPoint, FilterChainSelector selector, IReadOnlyList<FilterChain> chains, ListenerStats stats)
    {
        Config = config;
        EndPoint = endPoint;
        Selector = selector;
        Chains = chains;
        Stats = stats;
    }

    public string Name => Config.Name;

    public Listener Config { get; }

    /// <summary>The configured address (port may be 0).</summary>
    public IPEndPoint EndPoint { get; }

    public FilterChainSelector Selector { get; }

    public IReadOnlyList<FilterChain> Chains { get; }

    public ListenerStats Stats { get; }
}
