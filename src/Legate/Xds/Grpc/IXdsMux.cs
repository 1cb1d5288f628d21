namespace Legate.Xds.Grpc;

/// <summary>An xDS stream that watches register with (state-of-the-world or delta; one type or ADS).</summary>
internal interface IXdsMux : IDisposable
{
    /// <summary>True while the stream to the management server is up (control_plane.connected_state).</summary>
    bool Connected { get; }

    /// <summary>Completes when the stream loop has ended after Dispose.</summary>
    Task Stopped { get; }

    /// <summary>Adds a watch and sends its subscription; an empty name set is a wildcard watch.</summary>
    XdsWatch AddWatch(string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, IReadOnlyCollection<string> names);

    void UpdateWatch(XdsWatch watch, IReadOnlyCollection<string> names);

    void RemoveWatch(XdsWatch watch);
}
