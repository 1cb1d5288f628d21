namespace Legate.Xds;

/// <summary>
/// What a resource type (CDS, LDS, RDS, EDS) does with updates. Throwing a
/// <see cref="Config.ConfigException"/> rejects the update: the subscription NACKs with its message,
/// counts update_rejected, and the last good config keeps serving.
/// </summary>
public interface ISubscriptionCallbacks
{
    /// <summary>State of the world: every subscribed resource of this type (absent ones are removed).</summary>
    void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo);

    /// <summary>Incremental: added or changed resources, and names removed.</summary>
    void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo);

    /// <summary>The source failed (connection, initial fetch timeout) or an update was rejected.</summary>
    void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error);
}

public enum ConfigUpdateFailureReason
{
    ConnectionFailure,
    FetchTimedOut,
    UpdateRejected,
}
