using Envoy.Config.Listener.V3;

namespace Legate.Listeners;

/// <summary>A built filter chain: its match criteria and its network filters (the last one terminal).</summary>
public sealed class FilterChain
{
    public FilterChain(string name, FilterChainMatch? match, INetworkFilter[] filters)
    {
        Name = name;
        Match = match ?? new FilterChainMatch();
        Filters = filters;
    }

    public string Name { get; }

    public FilterChainMatch Match { get; }

    public INetworkFilter[] Filters { get; }
}
