using System.Globalization;
using Legate.Http;
using Legate.Router;
using Legate.Upstream;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>Outcome of asking whether a failed attempt is retried.</summary>
internal enum RetryStatus
{
    No,
    Yes,

    /// <summary>Retriable, but the cluster's max_retries circuit breaker is open (flag UO).</summary>
    NoOverflow,

    /// <summary>Retriable, but num_retries is used up (flag URX).</summary>
    NoRetryLimitExceeded,
}

/// <summary>
/// One request's retries: the conditions (route policy plus x-envoy-retry-* headers of internal
/// requests), the retries left, back-off, hosts tried, the replayable body and the retry circuit
/// breaker slot. Only requests with a retry policy (or retry headers) get one; instances are pooled.
/// </summary>
internal sealed class RetryState
{
    private const int MaxPooled = 256;
    private static readonly System.Collections.Concurrent.ConcurrentQueue<RetryState> s_pool = new();

    private CompiledRetryPolicy _policy = CompiledRetryPolicy.HeadersOnly;
    private RetryOn _on;
    private int[] _codes = [];
    private uint _remaining;
    private RetryBackOff _backOff;
    private RetryStats _stats = null!;
    private ResourceLimit _retrySlots = null!;
    private bool _holdsSlot;
    private bool _retryScheduled;
    private bool _abandoned;
    private Host?[] _tried = new Host?[4];
    private int _triedCount;
    private HttpContext? _context;

    public RetryOn On => _on;

    public uint RetriesRemaining => _remaining;

    /// <summary>Per-try timeout after header overrides; null when only the route timeout applies.</summary>
    public TimeSpan? PerTryTimeout { get; private set; }

    /// <summary>The request body stand-in that keeps bytes for replay; null for requests without a body.</summary>
    public RetryRequestBody? Body { get; private set; }

    /// <summary>Set by the transformer when it discarded a retriable upstream response (its status).</summary>
    public int DiscardedResponseStatus { get; set; }

    /// <summary>The next attempt retries a per-try timeout (for x-envoy-is-timeout-retry).</summary>
    public bool IsTimeoutRetry { get; set; }

    /// <summary>The retry state for a request, or null when neither the route nor the request asks for retries.</summary>
    public static RetryState? Create(HttpStream stream, RouteEntry route, UpstreamCluster cluster, TimeSpan? globalTimeout)
    {
        if (stream.UpgradeType is not null)
        {
            return null;
        }
        var entry = route.RetryPolicy;
        var headerOn = RetryOn.None;
        uint? headerMax = null;
        int[]? headerCodes = null;
        TimeSpan? headerPerTry = null;
        var headers = stream.Context.Request.Headers;
        // The connection manager strips these headers from external requests, so only internal ones can carry them.
        if (stream.IsInternal)
        {
            headerOn = RetryOnTokens.Parse(headers["x-envoy-retry-on"].ToString()) | RetryOnTokens.Parse(headers["x-envoy-retry-grpc-on"].ToString());
            if (uint.TryParse(headers["x-envoy-max-retries"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            {
                headerMax = max;
            }
            headerCodes = ParseCodes(headers["x-envoy-retriable-status-codes"].ToString());
            if (headers.TryGetValue("x-envoy-upstream-rq-per-try-timeout-ms", out var perTry))
            {
                if (long.TryParse(perTry.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0)
                {
                    headerPerTry = TimeSpan.FromMilliseconds(ms);
                }
                headers.Remove("x-envoy-upstream-rq-per-try-timeout-ms");
            }
        }
        if (entry is null && headerOn == RetryOn.None && headerPerTry is null)
        {
            return null;
        }
        var policy = entry is null ? CompiledRetryPolicy.HeadersOnly : CompiledRetryPolicy.For(entry);
        var state = s_pool.TryDequeue(out var pooled) ? pooled : new RetryState();
        state._policy = policy;
        state._on = policy.On | headerOn;
        state._codes = headerCodes is null ? policy.RetriableStatusCodes : Concat(policy.RetriableStatusCodes, headerCodes);
        state._remaining = headerMax ?? policy.NumRetries;
        state._backOff = new RetryBackOff(policy.BaseInterval, policy.MaxInterval);
        state._stats = RetryStats.For(cluster);
        state._retrySlots = cluster.Resources(route.Priority).Retries;
        var perTryTimeout = headerPerTry ?? policy.PerTryTimeout;
        // A per-try timeout at or past the route timeout is meaningless; Envoy ignores it.
        state.PerTryTimeout = perTryTimeout is { } p && globalTimeout is { } g && p >= g ? null : perTryTimeout;
        state._context = stream.Context;
        if (state._on != RetryOn.None && state._remaining > 0)
        {
            state.WrapBody(stream.Context, cluster.PerConnectionBufferLimitBytes);
        }
        return state;
    }

    /// <summary>Decides on an upstream response that arrived with headers.</summary>
    public RetryStatus ShouldRetryResponse(HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        var grpcStatus = headers.TryGetValues("grpc-status", out var values) ? values.ToString() : null;
        return ShouldRetryResponse((int)response.StatusCode, headers.Contains("x-envoy-ratelimited"), grpcStatus);
    }

    /// <summary>Decides on a response by its status, whether it carries x-envoy-ratelimited, and its grpc-status text (null when absent).</summary>
    public RetryStatus ShouldRetryResponse(int status, bool rateLimited, string? grpcStatusText)
    {
        if (_on == RetryOn.None)
        {
            return ShouldRetry(RetryDecision.NoRetry);
        }
        var grpcStatus = -1;
        if ((_on & RetryOn.AnyGrpc) != 0 && int.TryParse(grpcStatusText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            grpcStatus = parsed;
        }
        return ShouldRetry(RetryDecisions.FromResponse(_on, status, rateLimited, grpcStatus, _codes));
    }

    /// <summary>Decides on an attempt that failed before response headers (connect failure, reset, per-try timeout).</summary>
    public RetryStatus ShouldRetryFailure(UpstreamFailureKind kind, bool requestSent) =>
        ShouldRetry(_on == RetryOn.None ? RetryDecision.NoRetry : RetryDecisions.FromFailure(_on, kind, requestSent));

    private RetryStatus ShouldRetry(RetryDecision decision)
    {
        // The outcome of the previous retry is known: its circuit breaker slot is free again.
        ReleaseSlot();
        if (decision == RetryDecision.NoRetry)
        {
            if (_retryScheduled)
            {
                _stats.RetrySuccess.Inc();
                _retryScheduled = false;
            }
            return RetryStatus.No;
        }
        _retryScheduled = false;
        if (Body is { CanReplay: false })
        {
            // The body outgrew the buffer: Envoy gives up on retrying this request.
            if (!_abandoned)
            {
                _abandoned = true;
                _stats.RetryOrShadowAbandoned.Inc();
            }
            return RetryStatus.No;
        }
        if (_remaining == 0)
        {
            _stats.RetryLimitExceeded.Inc();
            return RetryStatus.NoRetryLimitExceeded;
        }
        _remaining--;
        if (!_retrySlots.TryAcquire())
        {
            _stats.RetryOverflow.Inc();
            return RetryStatus.NoOverflow;
        }
        _holdsSlot = true;
        _retryScheduled = true;
        _stats.Retry.Inc();
        return RetryStatus.Yes;
    }

    /// <summary>The wait before the retry just granted.</summary>
    public TimeSpan NextBackOff()
    {
        _stats.RetryBackOffExponential.Inc();
        return _backOff.Next(Random.Shared);
    }

    /// <summary>Readies the request for another attempt: the body starts over.</summary>
    public void PrepareRetry()
    {
        Body?.Rewind();
    }

    public void CountPerTryTimeout() => _stats.PerTryTimeout.Inc();

    public void ChargeRetriedResponse(int status) => _stats.ChargeRetriedResponse(status);

    /// <summary>Remembers an attempted host (for the previous_hosts predicate).</summary>
    public void OnHostAttempted(Host host)
    {
        if (_triedCount == _tried.Length)
        {
            Array.Resize(ref _tried, _tried.Length * 2);
        }
        _tried[_triedCount++] = host;
    }

    /// <summary>Picks the host for a retry; with previous_hosts, re-picks (up to host_selection_retry_max_attempts times) to avoid tried hosts.</summary>
    public Host? ChooseRetryHost(UpstreamCluster cluster, in LoadBalancerContext context)
    {
        var host = cluster.ChooseHost(context);
        if (!_policy.AvoidPreviousHosts)
        {
            return host;
        }
        for (long i = 0; host is not null && i < _policy.HostSelectionMaxAttempts && WasTried(host); i++)
        {
            host = cluster.ChooseHost(context);
        }
        return host;
    }

    /// <summary>Releases what the request held (circuit breaker slot, body buffer) and returns the state to the pool.</summary>
    public void Finish()
    {
        ReleaseSlot();
        if (Body is { } body && _context is { } context)
        {
            if (ReferenceEquals(context.Request.Body, body))
            {
                context.Request.Body = body.Inner;
            }
            body.Dispose();
        }
        Body = null;
        _context = null;
        Array.Clear(_tried);
        _triedCount = 0;
        _retryScheduled = false;
        _abandoned = false;
        DiscardedResponseStatus = 0;
        IsTimeoutRetry = false;
        PerTryTimeout = null;
        _stats = null!;
        _codes = [];
        _policy = CompiledRetryPolicy.HeadersOnly;
        if (s_pool.Count < MaxPooled)
        {
            s_pool.Enqueue(this);
        }
    }

    private bool WasTried(Host host)
    {
        for (var i = 0; i < _triedCount; i++)
        {
            if (ReferenceEquals(_tried[i], host))
            {
                return true;
            }
        }
        return false;
    }

    private void ReleaseSlot()
    {
        if (_holdsSlot)
        {
            _holdsSlot = false;
            _retrySlots.Release();
        }
    }

    private void WrapBody(HttpContext context, uint limit)
    {
        var request = context.Request;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!canHaveBody || request.ContentLength == 0)
        {
            return;
        }
        var body = new RetryRequestBody(request.Body, limit);
        if (request.ContentLength > limit)
        {
            // Known to be too large up front: never replayable.
            body.DisableReplay();
        }
        Body = body;
        request.Body = body;
    }

    private static int[]? ParseCodes(string list)
    {
        if (list.Length == 0)
        {
            return null;
        }
        var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var codes = new List<int>(parts.Length);
        foreach (var part in parts)
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                codes.Add(code);
            }
        }
        return codes.Count == 0 ? null : [.. codes];
    }

    private static int[] Concat(int[] a, int[] b)
    {
        var all = new int[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        return all;
    }
}
