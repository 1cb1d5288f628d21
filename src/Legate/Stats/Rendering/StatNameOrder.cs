namespace Legate.Stats.Rendering;

/// <summary>
/// Envoy's symbol-table order for stat names: dot-separated tokens compared one by one, so
/// <c>cluster.a.x</c> sorts before <c>cluster.a-b.x</c> (a plain ordinal compare would put '-' first).
/// </summary>
public sealed class StatNameOrder : IComparer<string>
{
    public static StatNameOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        var a = x.AsSpan();
        var b = y.AsSpan();
        while (true)
        {
            var ia = a.IndexOf('.');
            var ib = b.IndexOf('.');
            var ta = ia < 0 ? a : a[..ia];
            var tb = ib < 0 ? b : b[..ib];
            var c = ta.SequenceCompareTo(tb);
            if (c != 0)
            {
                return c;
            }
            if (ia < 0 || ib < 0)
            {
                return (ia < 0 ? 0 : 1) - (ib < 0 ? 0 : 1);
            }
            a = a[(ia + 1)..];
            b = b[(ib + 1)..];
        }
    }
}
