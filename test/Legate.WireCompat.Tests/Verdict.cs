namespace Legate.WireCompat.Tests;

/// <summary>The comparison after <see cref="SnapshotGaps"/>: what fails the test and what is explained.</summary>
internal sealed class Verdict
{
    public List<string> Differences { get; } = [];

    public List<string> ExplainedDrift { get; } = [];

    public List<string> UnexplainedMissing { get; } = [];

    public List<string> ExplainedMissing { get; } = [];

    /// <summary>SnapshotGaps keys that match nothing any more.</summary>
    public List<string> StaleGaps { get; } = [];

    public static Verdict Of(SchemaComparison comparison)
    {
        var verdict = new Verdict();
        var usedDrift = new HashSet<string>(StringComparer.Ordinal);
        foreach (var difference in comparison.Differences)
        {
            if (SnapshotGaps.ExplainsDifference(difference))
            {
                verdict.ExplainedDrift.Add(difference);
                usedDrift.Add(difference);
            }
            else
            {
                verdict.Differences.Add(difference);
            }
        }
        foreach (var missing in comparison.MissingUpstream)
        {
            if (SnapshotGaps.ExplainsMissing(missing))
            {
                verdict.ExplainedMissing.Add(missing + " [" + SnapshotGaps.SourceOf(missing) + "]");
            }
            else
            {
                verdict.UnexplainedMissing.Add(missing);
            }
        }
        foreach (var (key, _) in SnapshotGaps.Missing)
        {
            var used = false;
            foreach (var missing in comparison.MissingUpstream)
            {
                if (missing == key || missing.StartsWith(key + " ", StringComparison.Ordinal))
                {
                    used = true;
                    break;
                }
            }
            if (!used)
            {
                verdict.StaleGaps.Add(key);
            }
        }
        foreach (var (difference, _) in SnapshotGaps.Drift)
        {
            if (!usedDrift.Contains(difference))
            {
                verdict.StaleGaps.Add(difference);
            }
        }
        return verdict;
    }
}
