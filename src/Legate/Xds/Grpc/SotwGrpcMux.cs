using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Grpc;

/// <summary>
/// State-of-the-world xDS over one stream (a per-type discovery service, or ADS carrying many types).
/// Per type: the union of the watches' names (none = wildcard), the last accepted version, and the last
/// nonce. A response is decoded and handed to each watch as its subset; success ACKs (version_info and
/// nonce of the response), any error NACKs (previous version, the nonce, error_detail code 13 with the
/// message) and leaves every watch on its last good config.
/// </summary>
internal sealed class SotwGrpcMux : GrpcMux<DiscoveryRequest, DiscoveryResponse, SotwGrpcMux.TypeState>
{
    private const int InternalErrorCode = 13;

    public SotwGrpcMux(XdsMuxSettings settings)
        : base(settings)
    {
    }

    protected override void OnWatchAdded(XdsWatch watch)
    {
        AddWatch(watch);
    }

    protected override void OnWatchRemoved(XdsWatch watch) => Types[watch.TypeUrl].Watches.Remove(watch);

    protected override void OnInterestChanged(string typeUrl)
    {
        // Names are computed when the request is built.
    }

    protected override void OnStreamStarting()
    {
        foreach (var state in Types.Values)
        {
            state.Nonce = string.Empty;
            state.Error = null;
        }
    }

    protected override DiscoveryRequest? BuildRequest(string typeUrl, bool includeNode)
    {
        var state = Types[typeUrl];
        if (state.Watches.Count == 0)
        {
            // A request with no names would read as a wildcard; say nothing until someone watches again.
            return null;
        }
        var request = new DiscoveryRequest
        {
            VersionInfo = state.AcceptedVersion,
            TypeUrl = typeUrl,
            ResponseNonce = state.Nonce,
        };
        if (includeNode)
        {
            request.Node = Node;
        }
        var wildcard = false;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var watch in state.Watches)
        {
            wildcard |= watch.Wildcard;
            names.UnionWith(watch.Names);
        }
        if (wildcard && names.Count > 0)
        {
            // Wildcard plus explicit names: the legacy empty-list wildcard cannot say both.
            request.ResourceNames.Add("*");
        }
        request.ResourceNames.AddRange(names);
        if (state.Error is not null)
        {
            request.ErrorDetail = state.Error;
            state.Error = null;
        }
        return request;
    }

    protected override string? HandleResponse(DiscoveryResponse response)
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
            state.Nonce = response.Nonce;
            watches = [.. state.Watches];
        }
        var failure = Apply(response, watches);
        lock (Gate)
        {
            if (failure is null)
            {
                state.AcceptedVersion = response.VersionInfo;
                state.Error = null;
            }
            else
            {
                state.Error = new Google.Rpc.Status { Code = InternalErrorCode, Message = failure.Message };
            }
        }
        return response.TypeUrl;
    }

    protected override AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> Open(CallInvoker invoker, string? typeUrl, CallOptions options) =>
        XdsMethods.OpenSotw(invoker, typeUrl, options);

    /// <summary>Decodes and delivers; returns the error that rejects the response, or null when every watch took it.</summary>
    private Exception? Apply(DiscoveryResponse response, XdsWatch[] watches)
    {
        List<DecodedResource> decoded;
        try
        {
            decoded = ResourceDecoder.Decode(response, response.TypeUrl);
        }
        catch (Exception e)
        {
            return Reject(e, watches, 0, response);
        }
        for (var i = 0; i < watches.Length; i++)
        {
            var watch = watches[i];
            if (watch.Removed)
            {
                continue;
            }
            var subset = watch.Wildcard ? decoded : Subset(decoded, watch);
            // A named watch hears about a response without its resources only when that empties it;
            // wildcard watches always hear (absent resources are removed).
            if (subset.Count == 0 && !watch.Wildcard && watch.SotwEmpty)
            {
                continue;
            }
            try
            {
                watch.DeliverSotw(subset, response.VersionInfo);
                watch.SotwEmpty = subset.Count == 0;
            }
            catch (Exception e)
            {
                watch.Rejected(e, attemptCounted: true);
                return Reject(e, watches, i + 1, response);
            }
        }
        return null;
    }

    private Exception Reject(Exception error, XdsWatch[] watches, int from, DiscoveryResponse response)
    {
        Logger.LogWarning("gRPC config for {TypeUrl} rejected: {Error}", response.TypeUrl, error.Message);
        for (var i = from; i < watches.Length; i++)
        {
            if (!watches[i].Removed)
            {
                watches[i].Rejected(error, attemptCounted: false);
            }
        }
        return error;
    }

    private static List<DecodedResource> Subset(List<DecodedResource> decoded, XdsWatch watch)
    {
        var subset = new List<DecodedResource>();
        foreach (var resource in decoded)
        {
            if (watch.Names.Contains(resource.Name))
            {
                subset.Add(resource);
            }
        }
        return subset;
    }

    internal sealed class TypeState : XdsTypeState
    {
        public string AcceptedVersion { get; set; } = string.Empty;
    }
}
