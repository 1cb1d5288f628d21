namespace Legate.Xds.Grpc;

/// <summary>
/// One subscription's interest inside a mux: the names it wants (or wildcard), its callbacks and stats.
/// Several watches of one type share a mux (each EDS cluster, each RDS route config over ADS); the mux
/// requests the union of their names and hands each watch only the resources it asked for.
/// </summary>
internal sealed class XdsWatch
{
    private IReadOnlySet<string> _names;
    private volatile bool _removed;

    public XdsWatch(string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, IReadOnlyCollection<string> names)
    {
        TypeUrl = typeUrl;
        Callbacks = callbacks;
        Stats = stats;
        Wildcard = names.Count == 0;
        _names = new HashSet<string>(names, StringComparer.Ordinal);
    }

    public string TypeUrl { get; }

    public ISubscriptionCallbacks Callbacks { get; }

    public SubscriptionStats Stats { get; }

    /// <summary>Started with no names: wants every resource of the type (LDS, CDS).</summary>
    public bool Wildcard { get; }

    /// <summary>Replaced, never mutated, so the response path can read it without the mux lock.</summary>
    public IReadOnlySet<string> Names
    {
        get => Volatile.Read(ref _names);
        set => Volatile.Write(ref _names, value);
    }

    /// <summary>Whether the last state-of-the-world delivery to this watch was empty (or none happened yet).</summary>
    public bool SotwEmpty { get; set; } = true;

    public bool Removed
    {
        get => _removed;
        set => _removed = value;
    }

    public bool Wants(string name) => Wildcard || Names.Contains(name);

    public void DeliverSotw(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        Stats.UpdateAttempt.Inc();
        Callbacks.OnConfigUpdate(resources, versionInfo);
        Accepted(versionInfo);
    }

    public void DeliverDelta(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo)
    {
        Stats.UpdateAttempt.Inc();
        Callbacks.OnConfigUpdate(added, removed, systemVersionInfo);
        Accepted(systemVersionInfo);
    }

    /// <summary>The update was NACKed; the callbacks keep their last good config.</summary>
    public void Rejected(Exception error, bool attemptCounted)
    {
        if (!attemptCounted)
        {
            Stats.UpdateAttempt.Inc();
        }
        Stats.UpdateRejected.Inc();
        Callbacks.OnConfigUpdateFailed(ConfigUpdateFailureReason.UpdateRejected, error);
    }

    /// <summary>
    /// The stream failed. Only counted: the resources stay as they are, and (as in Envoy) the resource
    /// types are not told, so nothing is dropped or treated as "initialization finished".
    /// </summary>
    public void ConnectionFailed()
    {
        Stats.UpdateAttempt.Inc();
        Stats.UpdateFailure.Inc();
    }

    private void Accepted(string versionInfo)
    {
        Stats.UpdateSuccess.Inc();
        Stats.UpdateTime.Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Stats.Version.Set(VersionHash.Of(versionInfo));
        Stats.VersionText.Value = versionInfo;
    }
}
