using Envoy.Config.Core.V3;
using Grpc.Core;
using Legate.Upstream;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Grpc;

/// <summary>
/// One bidirectional xDS stream to a management server shared by the watches of one or (ADS) many
/// resource types: opens the stream, sends the per-type requests, dispatches responses, and when the
/// stream breaks keeps every watch's config, backs off (jittered, 500 ms doubling to 30 s) and opens a
/// new stream that re-sends all subscriptions. Protocol details (SotW or delta) live in the subclasses.
/// </summary>
/// <remarks>
/// Threading: <see cref="Gate"/> guards the per-type protocol state. Callbacks run on the reader task
/// outside the lock, one response at a time. Requests are not built when queued but when written, so a
/// queued request always carries the latest names, version and nonce; subscription changes made while a
/// response is being dispatched (EDS names added by a CDS update) are held back and sent after its ACK.
/// </remarks>
internal abstract class GrpcMux<TRequest, TResponse, TState> : IXdsMux
    where TRequest : class
    where TResponse : class
    where TState : XdsTypeState, new()
{
    private readonly XdsChannel _channel;
    private readonly bool _ownsChannel;
    private readonly JitteredBackoff _backoff;
    private readonly XdsRateLimiter? _rateLimiter;
    private readonly CancellationTokenSource _stop = new();
    private readonly XdsRequestQueue _requests = new();
    private Task? _run;
    private bool _disposed;

    protected GrpcMux(XdsMuxSettings settings)
    {
        _channel = settings.Channel;
        _ownsChannel = settings.OwnsChannel;
        ServiceTypeUrl = settings.ServiceTypeUrl;
        Node = settings.Node;
        NodeOnFirstMessageOnly = settings.SetNodeOnFirstMessageOnly;
        ControlPlane = new ControlPlaneStats(settings.StatsScope);
        _backoff = settings.Backoff ?? JitteredBackoff.From(_channel.Backoff);
        _rateLimiter = settings.RateLimit is null ? null : new XdsRateLimiter(settings.RateLimit);
        Logger = settings.Logger;
    }

    /// <summary>Null for ADS; else the one type this stream carries.</summary>
    protected string? ServiceTypeUrl { get; }

    protected Node Node { get; }

    protected bool NodeOnFirstMessageOnly { get; }

    protected ControlPlaneStats ControlPlane { get; }

    protected ILogger Logger { get; }

    protected Lock Gate { get; } = new();

    /// <summary>Type URLs in the order they were first subscribed (the order requests are re-sent on reconnect).</summary>
    protected List<string> TypeOrder { get; } = [];

    private string StreamName => ServiceTypeUrl is null ? "ADS" : ServiceTypeUrl;

    public bool Connected => ControlPlane.ConnectedState.Value == 1;

    public XdsWatch AddWatch(string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, IReadOnlyCollection<string> names)
    {
        var watch = new XdsWatch(typeUrl, callbacks, stats, names);
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!TypeOrder.Contains(typeUrl))
            {
                TypeOrder.Add(typeUrl);
            }
            OnWatchAdded(watch);
            RequestSend(typeUrl);
            _run ??= Task.Run(RunAsync);
        }
        return watch;
    }

    public void UpdateWatch(XdsWatch watch, IReadOnlyCollection<string> names)
    {
        lock (Gate)
        {
            if (watch.Removed)
            {
                return;
            }
            watch.Names = new HashSet<string>(names, StringComparer.Ordinal);
            OnInterestChanged(watch.TypeUrl);
            RequestSend(watch.TypeUrl);
        }
    }

    public void RemoveWatch(XdsWatch watch)
    {
        lock (Gate)
        {
            if (watch.Removed)
            {
                return;
            }
            watch.Removed = true;
            OnWatchRemoved(watch);
            RequestSend(watch.TypeUrl);
        }
    }

    /// <summary>Completes when the stream loop has ended after <see cref="Dispose"/>.</summary>
    public Task Stopped
    {
        get
        {
            lock (Gate)
            {
                return _run ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>
    /// Stops the stream without waiting (it may be called from a callback running on this mux's reader);
    /// the loop releases the channel as it ends. Await <see cref="Stopped"/> to know it has.
    /// </summary>
    public void Dispose()
    {
        bool running;
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            running = _run is not null;
        }
        // Outside the lock: cancelling runs the stream's continuations, which take it.
        _stop.Cancel();
        if (!running)
        {
            Release();
        }
    }

    /// <summary>Under <see cref="Gate"/>: a watch joined its type.</summary>
    protected abstract void OnWatchAdded(XdsWatch watch);

    /// <summary>Under <see cref="Gate"/>: a watch left its type.</summary>
    protected abstract void OnWatchRemoved(XdsWatch watch);

    /// <summary>Under <see cref="Gate"/>: a watch of this type changed its names.</summary>
    protected abstract void OnInterestChanged(string typeUrl);

    /// <summary>Under <see cref="Gate"/>: a new stream starts; reset per-stream state (nonces, first-request flags).</summary>
    protected abstract void OnStreamStarting();

    /// <summary>Under <see cref="Gate"/>: the request to write now for this type, or null when there is nothing to say.</summary>
    protected abstract TRequest? BuildRequest(string typeUrl, bool includeNode);

    /// <summary>On the reader task, outside the lock: apply a response (run callbacks) and record ACK or NACK state.</summary>
    /// <returns>The type URL to ACK/NACK, or null to send nothing.</returns>
    protected abstract string? HandleResponse(TResponse response);

    /// <summary>Per resource type URL; guarded by <see cref="Gate"/>.</summary>
    protected Dictionary<string, TState> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Under <see cref="Gate"/>: adds the watch to its type's state (created on first use) and returns that state.</summary>
    protected TState AddWatch(XdsWatch watch)
    {
        if (!Types.TryGetValue(watch.TypeUrl, out var state))
        {
            state = new TState();
            Types.Add(watch.TypeUrl, state);
        }
        state.Watches.Add(watch);
        return state;
    }

    /// <summary>Every live watch, for counting a connection failure.</summary>
    private IReadOnlyList<XdsWatch> AllWatches()
    {
        lock (Gate)
        {
            var all = new List<XdsWatch>();
            foreach (var state in Types.Values)
            {
                all.AddRange(state.Watches);
            }
            return all;
        }
    }

    protected abstract AsyncDuplexStreamingCall<TRequest, TResponse> Open(CallInvoker invoker, string? typeUrl, CallOptions options);

    /// <summary>
    /// Under <see cref="Gate"/>: asks for a request of this type on the current stream. Held back while a
    /// response is dispatched so that the ACK goes first; with no stream it is sent when one opens.
    /// </summary>
    protected void RequestSend(string typeUrl) => _requests.Request(typeUrl);

    /// <summary>Under <see cref="Gate"/>: the control plane's identifier from a response.</summary>
    protected void SeenControlPlane(ControlPlane? controlPlane)
    {
        if (controlPlane is not null && controlPlane.Identifier.Length > 0)
        {
            ControlPlane.Identifier.Value = controlPlane.Identifier;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await RunLoopAsync().ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    private void Release()
    {
        ControlPlane.ConnectedState.Set(0);
        if (_ownsChannel)
        {
            _channel.Dispose();
        }
    }

    private async Task RunLoopAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            var failure = await RunStreamAsync(stop).ConfigureAwait(false);
            ControlPlane.ConnectedState.Set(0);
            if (stop.IsCancellationRequested)
            {
                break;
            }
            var watches = AllWatches();
            for (var i = 0; i < watches.Count; i++)
            {
                watches[i].ConnectionFailed();
            }
            var delay = _backoff.Next();
            Logger.LogWarning("{Stream} gRPC config stream to {Target} closed: {Reason}; retrying in {Delay} ms",
                StreamName, _channel.Target, Describe(failure), (long)delay.TotalMilliseconds);
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Runs one stream until it ends; returns why (null = the server closed it cleanly).</summary>
    private async Task<Exception?> RunStreamAsync(CancellationToken stop)
    {
        using var streamCts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        XdsRequestQueue.Outgoing? outgoing = null;
        AsyncDuplexStreamingCall<TRequest, TResponse>? call = null;
        Exception? failure = null;
        try
        {
            call = Open(_channel.Invoker, ServiceTypeUrl, _channel.CallOptions(streamCts.Token));
            lock (Gate)
            {
                OnStreamStarting();
                outgoing = _requests.Open(TypeOrder);
            }
            var writer = WriteLoopAsync(call, outgoing, streamCts.Token);
            var reader = ReadLoopAsync(call, streamCts.Token);
            var first = await Task.WhenAny(writer, reader).ConfigureAwait(false);
            failure = first.Exception?.GetBaseException();
            streamCts.Cancel();
            await Observe(writer).ConfigureAwait(false);
            await Observe(reader).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            lock (Gate)
            {
                if (outgoing is not null)
                {
                    _requests.Close(outgoing);
                }
            }
            streamCts.Cancel();
            call?.Dispose();
        }
        return failure;
    }

    private async Task WriteLoopAsync(AsyncDuplexStreamingCall<TRequest, TResponse> call, XdsRequestQueue.Outgoing outgoing, CancellationToken ct)
    {
        var nodeSent = false;
        var connected = false;
        await foreach (var typeUrl in outgoing.Queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (_rateLimiter is not null)
            {
                await _rateLimiter.WaitAsync(ControlPlane, outgoing.Pending.Count, ct).ConfigureAwait(false);
            }
            TRequest? request;
            lock (Gate)
            {
                outgoing.Pending.Remove(typeUrl);
                request = BuildRequest(typeUrl, includeNode: !nodeSent || !NodeOnFirstMessageOnly);
            }
            if (request is null)
            {
                continue;
            }
            await call.RequestStream.WriteAsync(request, ct).ConfigureAwait(false);
            nodeSent = true;
            if (!connected)
            {
                // The first write completes once the HTTP/2 stream is open: the management server is reachable.
                connected = true;
                ControlPlane.ConnectedState.Set(1);
            }
        }
    }

    private async Task ReadLoopAsync(AsyncDuplexStreamingCall<TRequest, TResponse> call, CancellationToken ct)
    {
        while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
        {
            _backoff.Reset();
            var response = call.ResponseStream.Current;
            lock (Gate)
            {
                _requests.BeginDispatch();
            }
            string? ack = null;
            try
            {
                ack = HandleResponse(response);
            }
            finally
            {
                lock (Gate)
                {
                    _requests.EndDispatch(ack);
                }
            }
        }
        throw new RpcException(new Status(StatusCode.Unavailable, "the management server closed the stream"));
    }

    private static async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            // Only the first failure of a stream is reported; the other half ends because of it.
        }
    }

    private static string Describe(Exception? failure) => failure switch
    {
        null => "stream ended",
        RpcException rpc => ((int)rpc.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + rpc.Status.Detail,
        _ => failure.Message,
    };
}
