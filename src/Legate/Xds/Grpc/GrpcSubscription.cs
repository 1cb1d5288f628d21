namespace Legate.Xds.Grpc;

/// <summary>One resource type's subscription on a gRPC mux: a watch added on Start, changed by UpdateResourceInterest.</summary>
internal sealed class GrpcSubscription : ISubscription
{
    private readonly IXdsMux _mux;
    private readonly string _typeUrl;
    private readonly ISubscriptionCallbacks _callbacks;
    private readonly SubscriptionStats _stats;
    private readonly Action<GrpcSubscription>? _disposed;
    private readonly Lock _gate = new();
    private XdsWatch? _watch;
    private bool _isDisposed;

    public GrpcSubscription(IXdsMux mux, string typeUrl, ISubscriptionCallbacks callbacks, SubscriptionStats stats, Action<GrpcSubscription>? disposed = null)
    {
        _mux = mux;
        _typeUrl = typeUrl;
        _callbacks = callbacks;
        _stats = stats;
        _disposed = disposed;
    }

    public void Start(IReadOnlyCollection<string> resourceNames)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_isDisposed, this);
            if (_watch is not null)
            {
                throw new InvalidOperationException("subscription already started");
            }
            // Envoy counts the start as an attempt, so update_attempt runs one ahead of update_success.
            _stats.UpdateAttempt.Inc();
            _watch = _mux.AddWatch(_typeUrl, _callbacks, _stats, resourceNames);
        }
    }

    public void UpdateResourceInterest(IReadOnlyCollection<string> resourceNames)
    {
        lock (_gate)
        {
            if (_isDisposed)
            {
                return;
            }
            if (_watch is null)
            {
                _watch = _mux.AddWatch(_typeUrl, _callbacks, _stats, resourceNames);
                return;
            }
            _mux.UpdateWatch(_watch, resourceNames);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_isDisposed)
            {
                return;
            }
            _isDisposed = true;
            if (_watch is not null)
            {
                _mux.RemoveWatch(_watch);
            }
        }
        _disposed?.Invoke(this);
    }
}
