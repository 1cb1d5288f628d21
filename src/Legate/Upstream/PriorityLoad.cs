namespace Legate.Upstream;

/// <summary>
/// Envoy's priority load arithmetic. Each priority offers availability
/// min(100, overprovisioning * healthy / members) (and the same for degraded hosts); the 100% of traffic
/// goes to the highest priorities first in proportion to availability over the normalized total, then to
/// degraded hosts. Priorities below the panic threshold balance over all members; if every priority is
/// in panic, load follows the raw member counts.
/// </summary>
internal static class PriorityLoad
{
    public static void Compute(
        IReadOnlyList<HostSet> sets,
        double panicThresholdPercent,
        bool weightedPriorityHealth,
        int[] healthyLoad,
        int[] degradedLoad,
        bool[] panic)
    {
        var n = sets.Count;
        var healthAvailability = new int[n];
        var degradedAvailability = new int[n];
        for (var p = 0; p < n; p++)
        {
            var set = sets[p];
            var members = Measure(set.Hosts, weightedPriorityHealth, excludeExcluded: true);
            if (members == 0)
            {
                continue;
            }
            var healthy = Measure(set.HealthyHosts, weightedPriorityHealth, excludeExcluded: false);
            var degraded = Measure(set.DegradedHosts, weightedPriorityHealth, excludeExcluded: false);
            healthAvailability[p] = (int)Math.Min(100UL, set.OverprovisioningFactor * healthy / members);
            degradedAvailability[p] = (int)Math.Min(100UL, set.OverprovisioningFactor * degraded / members);
        }

        var total = 0;
        for (var p = 0; p < n; p++)
        {
            total += healthAvailability[p] + degradedAvailability[p];
        }
        var normalizedTotal = Math.Min(total, 100);

        if (normalizedTotal > 0)
        {
            var (firstHealthy, remaining) = Distribute(healthyLoad, healthAvailability, 100, normalizedTotal);
            var (firstDegraded, rest) = Distribute(degradedLoad, degradedAvailability, remaining, normalizedTotal);
            // Only integer rounding is left; it goes to the first priority that can take traffic.
            if (rest != 0)
            {
                if (firstHealthy >= 0)
                {
                    healthyLoad[firstHealthy] += rest;
                }
                else
                {
                    degradedLoad[firstDegraded] += rest;
                }
            }
        }

        var threshold = Math.Min(100.0, panicThresholdPercent);
        if (threshold == 0 && normalizedTotal == 0)
        {
            // Panic disabled and nothing available: callers find no healthy host and answer 503.
            healthyLoad[0] = 100;
            return;
        }

        var allInPanic = true;
        for (var p = 0; p < n; p++)
        {
            // A fully available cluster is never in panic, however unhealthy one priority is.
            panic[p] = normalizedTotal != 100 && InPanic(sets[p], threshold);
            allInPanic &= panic[p];
        }
        if (allInPanic)
        {
            LoadInTotalPanic(sets, healthyLoad, degradedLoad);
        }
    }

    private static ulong Measure(IReadOnlyList<Host> hosts, bool byWeight, bool excludeExcluded)
    {
        ulong sum = 0;
        for (var i = 0; i < hosts.Count; i++)
        {
            if (excludeExcluded && hosts[i].Health == HostHealth.Excluded)
            {
                continue;
            }
            sum += byWeight ? Math.Max(1u, hosts[i].Weight) : 1u;
        }
        return sum;
    }

    private static (int First, int Remaining) Distribute(int[] load, int[] availability, int totalLoad, int normalizedTotal)
    {
        var first = -1;
        for (var p = 0; p < availability.Length; p++)
        {
            if (first < 0 && availability[p] > 0)
            {
                first = p;
            }
            load[p] = Math.Min(totalLoad, availability[p] * 100 / normalizedTotal);
            totalLoad -= load[p];
        }
        return (first, totalLoad);
    }

    private static bool InPanic(HostSet set, double threshold)
    {
        var members = set.Hosts.Count - set.ExcludedHosts.Count;
        if (members == 0)
        {
            return threshold > 0;
        }
        var healthyPercent = 100.0 * set.HealthyHosts.Count / members;
        var degradedPercent = 100.0 * set.DegradedHosts.Count / members;
        return healthyPercent + degradedPercent < threshold;
    }

    private static void LoadInTotalPanic(IReadOnlyList<HostSet> sets, int[] healthyLoad, int[] degradedLoad)
    {
        var totalHosts = 0;
        for (var p = 0; p < sets.Count; p++)
        {
            totalHosts += sets[p].Hosts.Count;
        }
        Array.Clear(healthyLoad);
        Array.Clear(degradedLoad);
        if (totalHosts == 0)
        {
            healthyLoad[0] = 100;
            return;
        }
        var remaining = 100;
        var firstNonEmpty = -1;
        for (var p = 0; p < sets.Count; p++)
        {
            var count = sets[p].Hosts.Count;
            if (firstNonEmpty < 0 && count > 0)
            {
                firstNonEmpty = p;
            }
            healthyLoad[p] = 100 * count / totalHosts;
            remaining -= healthyLoad[p];
        }
        healthyLoad[firstNonEmpty] += remaining;
    }
}
