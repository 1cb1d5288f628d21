namespace Legate.Upstream.LoadBalancing;

/// <summary>
/// Picks one host out of a fixed host list (the healthy, degraded or all hosts of one priority).
/// Built with the priority-set snapshot; Pick is called concurrently and must not allocate.
/// </summary>
internal abstract class HostPicker
{
    public abstract Host? Pick(in LoadBalancerContext context);
}

internal static class HostWeights
{
    /// <summary>True when every host has the same weight (the unweighted fast paths apply).</summary>
    public static bool AllEqual(Host[] hosts)
    {
        for (var i = 1; i < hosts.Length; i++)
        {
            if (hosts[i].Weight != hosts[0].Weight)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>The picker of an empty host list.</summary>
internal sealed class EmptyHostPicker : HostPicker
{
    public static readonly EmptyHostPicker Instance = new();

    public override Host? Pick(in LoadBalancerContext context) => null;
}
