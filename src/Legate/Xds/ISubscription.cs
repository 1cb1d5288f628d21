namespace Legate.Xds;

/// <summary>A subscription to one resource type from one config source.</summary>
public interface ISubscription : IDisposable
{
    /// <summary>Starts fetching. An empty set means wildcard (LDS, CDS).</summary>
    void Start(IReadOnlyCollection<string> resourceNames);

    /// <summary>Changes the names of interest (RDS/EDS as listeners and clusters come and go).</summary>
    void UpdateResourceInterest(IReadOnlyCollection<string> resourceNames);
}
