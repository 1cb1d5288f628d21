using Envoy.Config.Cluster.V3;
using Legate.Config;

namespace Legate.Upstream.LoadBalancing;

/// <summary>
/// LEAST_REQUEST: with equal weights, the best of choice_count random hosts (fewest active requests);
/// with unequal weights, earliest-deadline-first where a host's weight is weight / (active + 1)^bias.
/// </summary>
internal sealed class LeastRequestFactory : ILoadBalancerFactory
{
    public string Name => "envoy.load_balancing_policies.least_request";

    public ILoadBalancerPolicy Create(Cluster config, string path)
    {
        uint choiceCount = 2;
        double bias = 1.0;
        var lr = config.LeastRequestLbConfig;
        if (lr is not null)
        {
            var lrPath = ConfigPath.Join(path, "least_request_lb_config");
            if (lr.ChoiceCount is uint c)
            {
                if (c < 2)
                {
                    throw new ConfigException(ConfigPath.Join(lrPath, "choice_count"), "value must be greater than or equal to 2");
                }
                choiceCount = c;
            }
            if (lr.ActiveRequestBias is not null)
            {
                bias = lr.ActiveRequestBias.DefaultValue;
                if (bias < 0 || double.IsNaN(bias) || double.IsInfinity(bias))
                {
                    throw new ConfigException(ConfigPath.Join(lrPath, "active_request_bias"), "invalid active_request_bias " + bias.ToString(System.Globalization.CultureInfo.InvariantCulture) + "; must be a finite number >= 0");
                }
            }
        }
        return new LeastRequestPolicy(Name, choiceCount, bias);
    }
}

internal sealed class LeastRequestPolicy(string name, uint choiceCount, double activeRequestBias) : ILoadBalancerPolicy
{
    public string Name => name;

    public uint ChoiceCount => choiceCount;

    public double ActiveRequestBias => activeRequestBias;

    public HostPicker CreatePicker(Host[] hosts)
    {
        if (hosts.Length == 0)
        {
            return EmptyHostPicker.Instance;
        }
        return HostWeights.AllEqual(hosts)
            ? new PowerOfChoicesPicker(hosts, (int)choiceCount)
            : new WeightedLeastRequestPicker(hosts, activeRequestBias);
    }
}

/// <summary>P2C (or Pn): draw choice_count hosts at random, keep the one with the fewest active requests.</summary>
internal sealed class PowerOfChoicesPicker(Host[] hosts, int choiceCount) : HostPicker
{
    public override Host? Pick(in LoadBalancerContext context)
    {
        var best = hosts[Random.Shared.Next(hosts.Length)];
        var bestActive = best.Stats.ActiveRequests;
        for (var i = 1; i < choiceCount; i++)
        {
            var candidate = hosts[Random.Shared.Next(hosts.Length)];
            var active = candidate.Stats.ActiveRequests;
            if (active < bestActive)
            {
                best = candidate;
                bestActive = active;
            }
        }
        return best;
    }
}

/// <summary>
/// EDF over effective weights. A host's weight is recomputed from its active requests each time it is
/// put back in the queue, so busy hosts come round less often. The queue is shared by all threads
/// (snapshots are not per worker), so it is guarded by a short lock.
/// </summary>
internal sealed class WeightedLeastRequestPicker : HostPicker
{
    private readonly Host[] _hosts;
    private readonly double[] _weights;
    private readonly double _bias;
    private readonly double[] _deadline;
    private readonly long[] _order;
    private readonly int[] _heap;
    private readonly Lock _gate = new();
    private double _now;
    private long _sequence;

    public WeightedLeastRequestPicker(Host[] hosts, double bias)
    {
        _hosts = hosts;
        _bias = bias;
        var n = hosts.Length;
        _weights = new double[n];
        _deadline = new double[n];
        _order = new long[n];
        _heap = new int[n];
        for (var i = 0; i < n; i++)
        {
            _weights[i] = Math.Max(1u, hosts[i].Weight);
            _deadline[i] = 1.0 / EffectiveWeight(i);
            _order[i] = _sequence++;
            _heap[i] = i;
        }
        for (var i = n / 2 - 1; i >= 0; i--)
        {
            SiftDown(i);
        }
    }

    public override Host? Pick(in LoadBalancerContext context)
    {
        lock (_gate)
        {
            var top = _heap[0];
            _now = _deadline[top];
            _deadline[top] = _now + 1.0 / EffectiveWeight(top);
            _order[top] = _sequence++;
            SiftDown(0);
            return _hosts[top];
        }
    }

    private double EffectiveWeight(int i)
    {
        var active = _hosts[i].Stats.ActiveRequests;
        if (active <= 0 || _bias == 0)
        {
            return _weights[i];
        }
        var divisor = _bias == 1.0 ? active + 1.0 : Math.Pow(active + 1.0, _bias);
        return _weights[i] / divisor;
    }

    private bool Earlier(int a, int b) =>
        _deadline[a] < _deadline[b] || (_deadline[a] == _deadline[b] && _order[a] < _order[b]);

    private void SiftDown(int i)
    {
        var size = _heap.Length;
        while (true)
        {
            var smallest = i;
            var l = 2 * i + 1;
            var r = l + 1;
            if (l < size && Earlier(_heap[l], _heap[smallest]))
            {
                smallest = l;
            }
            if (r < size && Earlier(_heap[r], _heap[smallest]))
            {
                smallest = r;
            }
            if (smallest == i)
            {
                return;
            }
            (_heap[i], _heap[smallest]) = (_heap[smallest], _heap[i]);
            i = smallest;
        }
    }
}
