namespace Legate.Upstream.LoadBalancing;

/// <summary>
/// Expands weighted hosts into one round-robin cycle in earliest-deadline-first order: host i appears
/// exactly weight_i/g times per cycle (g = gcd of the weights), spread out rather than in bursts.
/// Built once per snapshot; picking is then an index into the array.
/// </summary>
internal static class WeightedSchedule
{
    /// <summary>Largest cycle kept exact; bigger weight sums are scaled down (proportions within 1/MaxCycle).</summary>
    internal const int MaxCycle = 16384;

    public static Host[] Build(Host[] hosts)
    {
        var n = hosts.Length;
        var weights = new long[n];
        ulong gcd = 0;
        ulong sum = 0;
        for (var i = 0; i < n; i++)
        {
            weights[i] = Math.Max(1u, hosts[i].Weight);
            gcd = Gcd(gcd, (ulong)weights[i]);
        }
        for (var i = 0; i < n; i++)
        {
            weights[i] /= (long)gcd;
            sum += (ulong)weights[i];
        }
        var cap = Math.Max(MaxCycle, n);
        if (sum > (ulong)cap)
        {
            var scale = (double)cap / sum;
            for (var i = 0; i < n; i++)
            {
                weights[i] = Math.Max(1, (long)Math.Round(weights[i] * scale));
            }
            sum = 0;
            for (var i = 0; i < n; i++)
            {
                sum += (ulong)weights[i];
            }
        }
        return Expand(hosts, weights, (int)sum);
    }

    private static Host[] Expand(Host[] hosts, long[] weights, int cycle)
    {
        // Host i's k-th turn has deadline k / w_i; taking turns in deadline order (ties by index) gives
        // every host exactly w_i turns among the first sum(w) picks, evenly interleaved.
        var n = hosts.Length;
        var turn = new long[n];
        var heap = new int[n];
        for (var i = 0; i < n; i++)
        {
            turn[i] = 1;
            heap[i] = i;
        }
        var size = n;
        for (var i = size / 2 - 1; i >= 0; i--)
        {
            SiftDown(heap, size, i, turn, weights);
        }
        var sequence = new Host[cycle];
        for (var s = 0; s < cycle; s++)
        {
            var top = heap[0];
            sequence[s] = hosts[top];
            turn[top]++;
            SiftDown(heap, size, 0, turn, weights);
        }
        return sequence;
    }

    private static bool Earlier(int a, int b, long[] turn, long[] weights)
    {
        // turn[a]/w[a] < turn[b]/w[b] without floating point.
        var left = (Int128)turn[a] * weights[b];
        var right = (Int128)turn[b] * weights[a];
        return left < right || (left == right && a < b);
    }

    private static void SiftDown(int[] heap, int size, int i, long[] turn, long[] weights)
    {
        while (true)
        {
            var smallest = i;
            var l = 2 * i + 1;
            var r = l + 1;
            if (l < size && Earlier(heap[l], heap[smallest], turn, weights))
            {
                smallest = l;
            }
            if (r < size && Earlier(heap[r], heap[smallest], turn, weights))
            {
                smallest = r;
            }
            if (smallest == i)
            {
                return;
            }
            (heap[i], heap[smallest]) = (heap[smallest], heap[i]);
            i = smallest;
        }
    }

    private static ulong Gcd(ulong a, ulong b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
