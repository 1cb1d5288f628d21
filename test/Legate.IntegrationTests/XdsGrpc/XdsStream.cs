using System.Threading.Channels;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>
/// One open stream on the <see cref="ManagementServer"/>: what the client sent (in order), a way to push
/// responses, and <see cref="Kill"/> to end it with UNAVAILABLE. State-of-the-world requests for a type
/// with a server snapshot are answered automatically (when the version or the names differ from what
/// was last sent; never after a NACK).
/// </summary>
public sealed class XdsStream
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ManagementServer _server;
    private readonly Channel<DiscoveryRequest> _requests = Channel.CreateUnbounded<DiscoveryRequest>();
    private readonly Channel<DeltaDiscoveryRequest> _deltaRequests = Channel.CreateUnbounded<DeltaDiscoveryRequest>();
    private readonly CancellationTokenSource _killed = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _requestedNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Version, List<string> Names)> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeltaState> _deltaState = new(StringComparer.Ordinal);
    private int _nonce;

    internal XdsStream(ManagementServer server, string method, bool delta)
    {
        _server = server;
        Method = method;
        Delta = delta;
    }

    /// <summary>The gRPC method, e.g. StreamAggregatedResources or DeltaClusters.</summary>
    public string Method { get; }

    public bool Delta { get; }

    /// <summary>Completes when the RPC has ended (client gone or killed).</summary>
    public Task Completion => _closed.Task;

    internal Channel<IMessage> Outgoing { get; } = Channel.CreateUnbounded<IMessage>();

    internal CancellationToken KilledToken => _killed.Token;

    public async Task<DiscoveryRequest> NextRequestAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            return await _requests.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no DiscoveryRequest on " + Method + " within " + Wait.TotalSeconds + " s");
        }
    }

    /// <summary>Skips requests until one for <paramref name="typeUrl"/> arrives.</summary>
    public async Task<DiscoveryRequest> NextRequestAsync(string typeUrl)
    {
        while (true)
        {
            var request = await NextRequestAsync();
            if (request.TypeUrl == typeUrl)
            {
                return request;
            }
        }
    }

    public async Task<DeltaDiscoveryRequest> NextDeltaRequestAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            return await _deltaRequests.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no DeltaDiscoveryRequest on " + Method + " within " + Wait.TotalSeconds + " s");
        }
    }

    /// <summary>Sends a state-of-the-world response; returns it (its nonce is <paramref name="nonce"/>).</summary>
    public DiscoveryResponse Send(string typeUrl, string version, string nonce, params IMessage[] resources)
    {
        var response = new DiscoveryResponse { TypeUrl = typeUrl, VersionInfo = version, Nonce = nonce };
        foreach (var resource in resources)
        {
            response.Resources.Add(Any.Pack(resource));
        }
        Send(response);
        return response;
    }

    public void Send(DiscoveryResponse response) => Outgoing.Writer.TryWrite(response);

    public void Send(DeltaDiscoveryResponse response) => Outgoing.Writer.TryWrite(response);

    /// <summary>Ends the RPC with status UNAVAILABLE, as a management server restart would.</summary>
    public void Kill() => _killed.Cancel();

    internal void OnRequest(IMessage message)
    {
        if (message is DeltaDiscoveryRequest delta)
        {
            _deltaRequests.Writer.TryWrite(delta);
            OnDeltaRequest(delta);
            return;
        }
        var request = (DiscoveryRequest)message;
        _requests.Writer.TryWrite(request);
        if (request.ErrorDetail is not null)
        {
            _server.LastErrorDetail = request.ErrorDetail.Message;
            return;
        }
        lock (_gate)
        {
            _requestedNames[request.TypeUrl] = [.. request.ResourceNames];
        }
        var snapshot = _server.SnapshotOf(request.TypeUrl);
        if (snapshot is null)
        {
            return;
        }
        lock (_gate)
        {
            if (_sent.TryGetValue(request.TypeUrl, out var sent) && sent.Version == request.VersionInfo
                && sent.Version == snapshot.Version && SameNames(sent.Names, request.ResourceNames))
            {
                return;
            }
        }
        Push(request.TypeUrl);
    }

    /// <summary>Sends the server's snapshot of the type if the client asked for the type on this stream.</summary>
    internal void Push(string typeUrl)
    {
        if (Delta)
        {
            PushDelta(typeUrl);
            return;
        }
        var snapshot = _server.SnapshotOf(typeUrl);
        if (snapshot is null)
        {
            return;
        }
        DiscoveryResponse response;
        lock (_gate)
        {
            if (!_requestedNames.TryGetValue(typeUrl, out var names))
            {
                return;
            }
            response = new DiscoveryResponse
            {
                TypeUrl = typeUrl,
                VersionInfo = snapshot.Version,
                Nonce = "auto-" + (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            response.Resources.AddRange(snapshot.Select(names));
            _sent[typeUrl] = (snapshot.Version, names);
        }
        Send(response);
    }

    private void OnDeltaRequest(DeltaDiscoveryRequest request)
    {
        if (request.ErrorDetail is not null)
        {
            _server.LastErrorDetail = request.ErrorDetail.Message;
            return;
        }
        lock (_gate)
        {
            if (!_deltaState.TryGetValue(request.TypeUrl, out var state))
            {
                state = new DeltaState();
                _deltaState.Add(request.TypeUrl, state);
                state.Wildcard = request.ResourceNamesSubscribe.Count == 0;
                foreach (var (name, version) in request.InitialResourceVersions)
                {
                    state.Sent[name] = version;
                }
            }
            foreach (var name in request.ResourceNamesSubscribe)
            {
                if (name == "*")
                {
                    state.Wildcard = true;
                }
                else
                {
                    state.Names.Add(name);
                }
            }
            foreach (var name in request.ResourceNamesUnsubscribe)
            {
                state.Names.Remove(name);
                state.Sent.Remove(name);
            }
        }
        PushDelta(request.TypeUrl);
    }

    /// <summary>Sends what the client lacks: snapshot resources it has not got at this version, and removals.</summary>
    private void PushDelta(string typeUrl)
    {
        var snapshot = _server.SnapshotOf(typeUrl);
        if (snapshot is null)
        {
            return;
        }
        DeltaDiscoveryResponse response;
        lock (_gate)
        {
            if (!_deltaState.TryGetValue(typeUrl, out var state))
            {
                return;
            }
            response = new DeltaDiscoveryResponse { TypeUrl = typeUrl, SystemVersionInfo = snapshot.Version };
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in snapshot.Resources)
            {
                var name = Legate.Xds.ResourceDecoder.NameOf(resource);
                present.Add(name);
                if (!state.Wildcard && !state.Names.Contains(name))
                {
                    continue;
                }
                if (state.Sent.TryGetValue(name, out var version) && version == snapshot.Version)
                {
                    continue;
                }
                state.Sent[name] = snapshot.Version;
                response.Resources.Add(new Resource { Name = name, Version = snapshot.Version, Resource_ = Any.Pack(resource) });
            }
            foreach (var name in new List<string>(state.Sent.Keys))
            {
                if (!present.Contains(name))
                {
                    state.Sent.Remove(name);
                    response.RemovedResources.Add(name);
                }
            }
            if (response.Resources.Count == 0 && response.RemovedResources.Count == 0)
            {
                return;
            }
            response.Nonce = "auto-" + (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        Send(response);
    }

    internal void Closed()
    {
        _requests.Writer.TryComplete();
        _deltaRequests.Writer.TryComplete();
        _closed.TrySetResult();
    }

    private static bool SameNames(List<string> a, IList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        var set = new HashSet<string>(a, StringComparer.Ordinal);
        foreach (var name in b)
        {
            if (!set.Contains(name))
            {
                return false;
            }
        }
        return true;
    }

    private sealed class DeltaState
    {
        public bool Wildcard { get; set; }

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>name → version the client holds.</summary>
        public Dictionary<string, string> Sent { get; } = new(StringComparer.Ordinal);
    }
}
