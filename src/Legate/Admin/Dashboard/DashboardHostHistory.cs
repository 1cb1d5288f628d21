namespace Legate.Admin.Dashboard;

/// <summary>One host's request rates over the last minute (a ring), for the sparkline in the clusters table.</summary>
internal sealed class DashboardHostHistory
{
    private readonly double[] _rates = new double[DashboardSampler.HostHistoryTicks];
    private int _count;
    private int _next;

    /// <summary>The host's rq_total at the previous tick.</summary>
    public long Previous { get; set; }

    /// <summary>Still a member of some cluster at this tick (unseen hosts are forgotten).</summary>
    public bool Seen { get; set; }

    public void Add(double rate)
    {
        _rates[_next] = rate;
        _next = (_next + 1) % _rates.Length;
        _count = Math.Min(_count + 1, _rates.Length);
    }

    public double[] ToArray()
    {
        var result = new double[_count];
        var start = (_next - _count + _rates.Length) % _rates.Length;
        for (var i = 0; i < _count; i++)
        {
            result[i] = _rates[(start + i) % _rates.Length];
        }
        return result;
    }
}
