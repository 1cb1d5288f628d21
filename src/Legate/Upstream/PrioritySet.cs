using System.Collections.Frozen;
using System.Net;
using Legate.Upstream.LoadBalancing;

namespace Legate.Upstream;

/// <summary>
/// An immutable snapshot of a cluster's hosts by priority, with the priority loads and panic flags
/// computed when it was built. Updates build a new one and swap it in; pickers live with it.
/// </summary>
public sealed class PrioritySet
{
    private readonly HostSet[] _sets;
    private readonly int[] _healthyLoad;
    private readonly int[] _degradedLoad;
    private readonly bool[] _panic;
    private readonly FrozenDictionary<IPEndPoint, Host> _byEndPoint;

    private PrioritySet(HostSet[] sets, Host[] all, int[] healthyLoad, int[] degradedLoad, bool[] panic)
    {
        _sets = sets;
        _healthyLoad = healthyLoad;
        _degradedLoad = degradedLoad;
        _panic = panic;
        Hosts = all;
        var byEndPoint = new Dictionary<IPEndPoint, Host>(all.Length);
        foreach (var host in all)
        {
            if (host.EndPoint is { } ep)
            {
                byEndPoint.TryAdd(ep, host);
            }
        }
        _byEndPoint = byEndPoint.ToFrozenDictionary();
    }

    public static PrioritySet Empty { get; } = new([], [], [100], [0], [false]);

    /// <summary>Host sets indexed by priority (0 = highest); gaps hold empty sets.</summary>
    public IReadOnlyList<HostSet> HostSetsPerPriority => _sets;

    /// <summary>Every host of every priority, priority 0 first.</summary>
    public IReadOnlyList<Host> Hosts { get; }

    /// <summary>Percent of traffic for the healthy hosts of each priority.</summary>
    public IReadOnlyList<int> HealthyPriorityLoad => _healthyLoad;

    /// <summary>Percent of traffic for the degraded hosts of each priority.</summary>
    public IReadOnlyList<int> DegradedPriorityLoad => _degradedLoad;

    /// <summary>Whether each priority balances over all its members because too few are healthy.</summary>
    public IReadOnlyList<bool> PanicPerPriority => _panic;

    internal static PrioritySet Build(
        IReadOnlyList<Host> hosts,
        uint overprovisioningFactor,
        double panicThresholdPercent,
        bool weightedPriorityHealth,
        ILoadBalancerPolicy policy)
    {
        if (hosts.Count == 0)
        {
            return Empty;
        }
        uint maxPriority = 0;
        foreach (var host in hosts)
        {
            maxPriority = Math.Max(maxPriority, host.Priority);
        }
        var byPriority = new List<Host>[maxPriority + 1];
        for (var p = 0; p < byPriority.Length; p++)
        {
            byPriority[p] = [];
        }
        foreach (var host in hosts)
        {
            byPriority[host.Priority].Add(host);
        }
        var sets = new HostSet[byPriority.Length];
        var all = new List<Host>(hosts.Count);
        for (var p = 0; p < sets.Length; p++)
        {
            sets[p] = new HostSet((uint)p, byPriority[p].ToArray(), overprovisioningFactor, policy);
            all.AddRange(byPriority[p]);
        }
        var healthyLoad = new int[sets.Length];
        var degradedLoad = new int[sets.Length];
        var panic = new bool[sets.Length];
        PriorityLoad.Compute(sets, panicThresholdPercent, weightedPriorityHealth, healthyLoad, degradedLoad, panic);
        return new PrioritySet(sets, all.ToArray(), healthyLoad, degradedLoad, panic);
    }

    internal bool TryGetHost(IPEndPoint endPoint, out Host host) => _byEndPoint.TryGetValue(endPoint, out host!);

    /// <summary>Chooses the priority (by hash or at random) and a host in it; <paramref name="panic"/> tells the caller to count lb_healthy_panic.</summary>
    internal Host? Choose(in LoadBalancerContext context, out bool panic)
    {
        panic = false;
        if (_sets.Length == 0)
        {
            return null;
        }
        var priority = 0;
        var degraded = false;
        if (_healthyLoad[0] != 100)
        {
            var roll = context.HashKey is ulong hash ? (int)(hash % 100) + 1 : Random.Shared.Next(100) + 1;
            (priority, degraded) = PickPriority(roll);
        }
        var set = _sets[priority];
        HostPicker picker;
        if (_panic[priority])
        {
            panic = true;
            picker = set.PanicPicker;
        }
        else
        {
            picker = degraded ? set.DegradedPicker : set.HealthyPicker;
        }
        return picker.Pick(context);
    }

    private (int Priority, bool Degraded) PickPriority(int roll)
    {
        var sum = 0;
        for (var p = 0; p < _healthyLoad.Length; p++)
        {
            sum += _healthyLoad[p];
            if (roll <= sum)
            {
                return (p, false);
            }
        }
        for (var p = 0; p < _degradedLoad.Length; p++)
        {
            sum += _degradedLoad[p];
            if (roll <= sum)
            {
                return (p, true);
            }
        }
        return (0, false);
    }
}
