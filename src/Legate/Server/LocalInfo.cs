namespace Legate.Server;

/// <summary>This proxy's identity: bootstrap node with the --service-* overrides applied.</summary>
public sealed record LocalInfo(string NodeId, string ClusterName, string Zone)
{
    public static readonly LocalInfo Empty = new(string.Empty, string.Empty, string.Empty);
}
