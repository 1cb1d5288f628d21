using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Legate.Config;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Rest;

/// <summary>
/// REST-JSON xDS (api_type REST): polls the management server every refresh_delay, one request at a
/// time, with state-of-the-world semantics. Each request carries the last accepted version_info (so the
/// server may answer 304 Not Modified), the nonce of the last response, and after a rejection the
/// error_detail of that rejection (a NACK, as over gRPC). A transport failure or a non-200/304 answer
/// counts update_failure; a response that does not parse or that the callbacks reject counts
/// update_rejected. Either way the last good config keeps serving and polling goes on.
/// </summary>
internal sealed class RestSubscription : ISubscription
{
    private const int InternalErrorCode = 13;

    private readonly RestDiscoveryClient _client;
    private readonly string _typeUrl;
    private readonly Node _node;
    private readonly ISubscriptionCallbacks _callbacks;
    private readonly SubscriptionStats _stats;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConfigLoadOptions _options;
    private readonly TimeSpan _refreshDelay;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private string[] _names = [];
    private string _acceptedVersion = string.Empty;
    private string _nonce = string.Empty;
    private Google.Rpc.Status? _error;
    private Task? _loop;
    private int _disposed;

    public RestSubscription(
        RestDiscoveryClient client,
        string typeUrl,
        Node node,
        TimeSpan refreshDelay,
        ISubscriptionCallbacks callbacks,
        SubscriptionStats stats,
        ILogger logger,
        TimeProvider time,
        ConfigLoadOptions options)
    {
        _client = client;
        _typeUrl = typeUrl;
        _node = node;
        _refreshDelay = refreshDelay;
        _callbacks = callbacks;
        _stats = stats;
        _logger = logger;
        _time = time;
        _options = options;
    }

    /// <summary>Completes when the poll loop has ended after <see cref="Dispose"/> (tests).</summary>
    internal Task Stopped => _loop ?? Task.CompletedTask;

    /// <summary>The version_info the next request carries.</summary>
    internal string AcceptedVersion
    {
        get
        {
            lock (_gate)
            {
                return _acceptedVersion;
            }
        }
    }

    public void Start(IReadOnlyCollection<string> resourceNames)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_loop is not null)
            {
                throw new InvalidOperationException("subscription already started");
            }
            _names = Sorted(resourceNames);
            _loop = Task.Run(() => PollAsync(_stop.Token));
        }
    }

    /// <summary>New names go out at once rather than after refresh_delay, so a new EDS cluster warms quickly.</summary>
    public void UpdateResourceInterest(IReadOnlyCollection<string> resourceNames)
    {
        lock (_gate)
        {
            if (_disposed != 0)
            {
                return;
            }
            _names = Sorted(resourceNames);
        }
        Wake();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _stop.Cancel();
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await FetchOnceAsync(cancellationToken).ConfigureAwait(false);
                await _wake.WaitAsync(_refreshDelay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending.
        }
    }

    private async Task FetchOnceAsync(CancellationToken cancellationToken)
    {
        DiscoveryRequest request;
        string[] names;
        lock (_gate)
        {
            names = _names;
            request = new DiscoveryRequest
            {
                VersionInfo = _acceptedVersion,
                Node = _node,
                TypeUrl = _typeUrl,
                ResponseNonce = _nonce,
            };
            request.ResourceNames.AddRange(names);
            if (_error is not null)
            {
                request.ErrorDetail = _error;
            }
        }
        _stats.UpdateAttempt.Inc();
        string? body;
        try
        {
            body = await _client.FetchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Connection refused, reset, timeout, a non-200 answer: the server is unreachable for now.
            _stats.UpdateFailure.Inc();
            _logger.LogWarning("REST update for {Target} failed: {Error}", _client.Target, e.Message);
            _callbacks.OnConfigUpdateFailed(ConfigUpdateFailureReason.ConnectionFailure, e);
            return;
        }
        if (body is null || cancellationToken.IsCancellationRequested)
        {
            // 304 Not Modified: the server has nothing newer than our version_info.
            return;
        }
        Apply(body, names);
    }

    private void Apply(string body, string[] names)
    {
        DiscoveryResponse response;
        List<DecodedResource> resources;
        try
        {
            response = ConfigParser.ParseJson<DiscoveryResponse>(body, _options);
            resources = ResourceDecoder.Decode(response, _typeUrl);
        }
        catch (ConfigException e)
        {
            Reject(e, null);
            return;
        }
        try
        {
            _callbacks.OnConfigUpdate(names.Length == 0 ? resources : Named(resources, names), response.VersionInfo);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Reject(e, response.Nonce);
            return;
        }
        lock (_gate)
        {
            _acceptedVersion = response.VersionInfo;
            _nonce = response.Nonce;
            _error = null;
        }
        _stats.UpdateTime.Set(_time.GetUtcNow().ToUnixTimeMilliseconds());
        _stats.Version.Set(VersionHash.Of(response.VersionInfo));
        _stats.VersionText.Value = response.VersionInfo;
        _stats.UpdateSuccess.Inc();
    }

    /// <summary>A NACK: the next requests keep the previous version_info and carry the error until an update is accepted.</summary>
    private void Reject(Exception error, string? nonce)
    {
        _stats.UpdateRejected.Inc();
        _logger.LogWarning("REST config for {Target} rejected: {Error}", _client.Target, error.Message);
        lock (_gate)
        {
            _error = new Google.Rpc.Status { Code = InternalErrorCode, Message = error.Message };
            if (nonce is not null)
            {
                _nonce = nonce;
            }
        }
        _callbacks.OnConfigUpdateFailed(ConfigUpdateFailureReason.UpdateRejected, error);
    }

    /// <summary>A state-of-the-world response may hold more than was asked for; named subscriptions get only their names.</summary>
    private static List<DecodedResource> Named(List<DecodedResource> resources, string[] names)
    {
        var subset = new List<DecodedResource>(resources.Count);
        foreach (var resource in resources)
        {
            if (Array.BinarySearch(names, resource.Name, StringComparer.Ordinal) >= 0)
            {
                subset.Add(resource);
            }
        }
        return subset;
    }

    private static string[] Sorted(IReadOnlyCollection<string> names)
    {
        var sorted = new string[names.Count];
        var i = 0;
        foreach (var name in names)
        {
            sorted[i++] = name;
        }
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}
