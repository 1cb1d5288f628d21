using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Legate.Config;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Grpc;

/// <summary>
/// Incremental (delta) xDS over one stream. Per type: the subscribed names (union of the watches; a
/// wildcard watch subscribes to everything), the subscribe/unsubscribe changes not yet sent, and the
/// version of every resource held (sent as initial_resource_versions when a new stream opens). Responses
/// carry only changed resources plus removed_resources; each is ACKed or NACKed by its nonce.
/// </summary>
internal sealed class DeltaGrpcMux : GrpcMux<DeltaDiscoveryRequest, DeltaDiscoveryResponse, DeltaGrpcMux.TypeState>
{
    private const int InternalErrorCode = 13;
    private const string WildcardName = "*";

    public DeltaGrpcMux(XdsMuxSettings settings)
        : base(settings)
    {
    }

    protected override void OnWatchAdded(XdsWatch watch)
    {
        Recompute(AddWatch(watch));
    }

    protected override void OnWatchRemoved(XdsWatch watch)
    {
        var state = Types[watch.TypeUrl];
        state.Watches.Remove(watch);
        Recompute(state);
    }

    protected override void OnInterestChanged(string typeUrl) => Recompute(Types[typeUrl]);

    protected override void OnStreamStarting()
    {
        foreach (var state in Types.Values)
        {
            state.FirstOnStream = true;
            state.Nonce = string.Empty;
            state.Error = null;
            state.PendingSubscribe.Clear();
            state.PendingUnsubscribe.Clear();
        }
    }

    protected override DeltaDiscoveryRequest? BuildRequest(string typeUrl, bool includeNode)
    {
        var state = Types[typeUrl];
        var request = new DeltaDiscoveryRequest { TypeUrl = typeUrl };
        if (state.FirstOnStream)
        {
            if (state.Watches.Count == 0)
            {
                return null;
            }
            state.FirstOnStream = false;
            // Legacy wildcard is an empty first subscribe list; "*" is needed only next to explicit names.
            if (state.Wildcard && state.Subscribed.Count > 0)
            {
                request.ResourceNamesSubscribe.Add(WildcardName);
            }
            request.ResourceNamesSubscribe.AddRange(Sorted(state.Subscribed));
            foreach (var (name, version) in state.Versions)
            {
                if (state.Wildcard || state.Subscribed.Contains(name))
                {
                    request.InitialResourceVersions.Add(name, version);
                }
            }
            state.PendingSubscribe.Clear();
            state.PendingUnsubscribe.Clear();
        }
        else
        {
            if (state.Nonce.Length == 0 && state.PendingSubscribe.Count == 0 && state.PendingUnsubscribe.Count == 0)
            {
                return null;
            }
            request.ResourceNamesSubscribe.AddRange(Sorted(state.PendingSubscribe));
            request.ResourceNamesUnsubscribe.AddRange(Sorted(state.PendingUnsubscribe));
            state.PendingSubscribe.Clear();
            state.PendingUnsubscribe.Clear();
        }
        if (includeNode)
        {
            request.Node = Node;
        }
        request.ResponseNonce = state.Nonce;
        state.Nonce = string.Empty;
        if (state.Error is not null)
        {
            request.ErrorDetail = state.Error;
            state.Error = null;
        }
        return request;
    }

    protected override string? HandleResponse(DeltaDiscoveryResponse response)
    {
        TypeState? state;
        XdsWatch[] watches;
        lock (Gate)
        {
            SeenControlPlane(response.ControlPlane);
            if (!Types.TryGetValue(response.TypeUrl, out state))
            {
                Logger.LogWarning("ignoring the message for type URL {TypeUrl} as it has no current subscribers", response.TypeUrl);
                return null;
            }
            watches = [.. state.Watches];
        }
        var added = new List<DecodedResource>();
        var removed = new List<string>();
        var failure = Decode(response, added, removed);
        if (failure is not null)
        {
            LogRejected(response, failure);
            RejectRest(watches, 0, failure);
        }
        else
        {
            failure = Deliver(response, watches, added, removed);
        }
        lock (Gate)
        {
            state.Nonce = response.Nonce;
            if (failure is null)
            {
                foreach (var resource in added)
                {
                    state.Versions[resource.Name] = resource.Version;
                }
                foreach (var name in removed)
                {
                    state.Versions.Remove(name);
                }
                state.Error = null;
            }
            else
            {
                state.Error = new Google.Rpc.Status { Code = InternalErrorCode, Message = failure.Message };
            }
        }
        return response.TypeUrl;
    }

    protected override AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse> Open(CallInvoker invoker, string? typeUrl, CallOptions options) =>
        XdsMethods.OpenDelta(invoker, typeUrl, options);

    /// <summary>Under the lock: the type's subscription from its watches; changes are queued as subscribe/unsubscribe.</summary>
    private static void Recompute(TypeState state)
    {
        var wildcard = false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var watch in state.Watches)
        {
            wildcard |= watch.Wildcard;
            names.UnionWith(watch.Names);
        }
        foreach (var name in names)
        {
            if (!state.Subscribed.Contains(name) && !state.PendingUnsubscribe.Remove(name))
            {
                state.PendingSubscribe.Add(name);
            }
        }
        foreach (var name in state.Subscribed)
        {
            if (!names.Contains(name) && !state.PendingSubscribe.Remove(name))
            {
                state.PendingUnsubscribe.Add(name);
                if (!wildcard)
                {
                    // No longer held: a new stream must not claim it.
                    state.Versions.Remove(name);
                }
            }
        }
        if (wildcard && !state.Wildcard && state.Subscribed.Count > 0)
        {
            state.PendingSubscribe.Add(WildcardName);
        }
        else if (!wildcard && state.Wildcard)
        {
            state.PendingUnsubscribe.Add(WildcardName);
        }
        state.Subscribed = names;
        state.Wildcard = wildcard;
    }

    private static Exception? Decode(DeltaDiscoveryResponse response, List<DecodedResource> added, List<string> removed)
    {
        try
        {
            var expected = Google.Protobuf.WellKnownTypes.Any.GetTypeName(response.TypeUrl);
            for (var i = 0; i < response.Resources.Count; i++)
            {
                var resource = response.Resources[i];
                if (resource.Resource_ is null)
                {
                    // A named resource without a body: it does not exist (anymore).
                    removed.Add(resource.Name);
                    continue;
                }
                var decoded = ResourceDecoder.Decode(resource.Resource_, expected, ConfigPath.Join(ConfigPath.Index("resources", i), "resource"), resource.Version);
                added.Add(resource.Name.Length > 0 ? decoded with { Name = resource.Name } : decoded);
            }
            removed.AddRange(response.RemovedResources);
            foreach (var name in response.RemovedResourceNames)
            {
                removed.Add(name.Name);
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private Exception? Deliver(DeltaDiscoveryResponse response, XdsWatch[] watches, List<DecodedResource> added, List<string> removed)
    {
        for (var i = 0; i < watches.Length; i++)
        {
            var watch = watches[i];
            if (watch.Removed)
            {
                continue;
            }
            IReadOnlyList<DecodedResource> mine = added;
            IReadOnlyList<string> gone = removed;
            if (!watch.Wildcard)
            {
                mine = added.FindAll(r => watch.Names.Contains(r.Name));
                gone = removed.FindAll(watch.Names.Contains);
                if (mine.Count == 0 && gone.Count == 0)
                {
                    continue;
                }
            }
            try
            {
                watch.DeliverDelta(mine, gone, response.SystemVersionInfo);
            }
            catch (Exception e)
            {
                watch.Rejected(e, attemptCounted: true);
                LogRejected(response, e);
                RejectRest(watches, i + 1, e);
                return e;
            }
        }
        return null;
    }

    private void LogRejected(DeltaDiscoveryResponse response, Exception e) =>
        Logger.LogWarning("delta gRPC config for {TypeUrl} rejected: {Error}", response.TypeUrl, e.Message);

    private static void RejectRest(XdsWatch[] watches, int from, Exception e)
    {
        for (var i = from; i < watches.Length; i++)
        {
            if (!watches[i].Removed)
            {
                watches[i].Rejected(e, attemptCounted: false);
            }
        }
    }

    private static List<string> Sorted(IEnumerable<string> names)
    {
        var list = new List<string>(names);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    internal sealed class TypeState : XdsTypeState
    {
        public HashSet<string> Subscribed { get; set; } = new(StringComparer.Ordinal);

        public bool Wildcard { get; set; }

        public HashSet<string> PendingSubscribe { get; } = new(StringComparer.Ordinal);

        public HashSet<string> PendingUnsubscribe { get; } = new(StringComparer.Ordinal);

        /// <summary>name → version of every resource currently held.</summary>
        public Dictionary<string, string> Versions { get; } = new(StringComparer.Ordinal);

        public bool FirstOnStream { get; set; } = true;
    }
}
