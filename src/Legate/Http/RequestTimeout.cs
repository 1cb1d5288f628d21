using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Http;

/// <summary>
/// The connection manager's <c>request_timeout</c> for one stream: how long the downstream may take to send
/// the whole request. Armed when a request with a body (or an HTTP/1.1 upgrade) starts; disarmed once that body
/// has been read to its end (<see cref="RequestTimeoutBody"/>) or the response starts. On expiry it counts
/// <c>downstream_rq_timeout</c>, ends the pending body read and cancels the upstream attempt in flight; whoever
/// was waiting on them answers with <see cref="SendReplyAsync"/>.
/// </summary>
/// <remarks>
/// Kept with a pooled <see cref="HttpStream"/>, so after its first use arming allocates nothing. The timer's
/// callback can race with the request (and, as the stream is reused, with a later request): every change of
/// state happens under one lock, and a callback that finds its request's deadline not yet reached is a late
/// one from an earlier request on this stream.
/// </remarks>
internal sealed class RequestTimeout
{
    // The longest a System.Threading.Timer waits; a longer request_timeout is waited out in several rounds.
    private const long MaxTimerMilliseconds = 0xFFFFFFFE;

    private readonly Lock _lock = new();
    private readonly RequestTimeoutBody _body;
    private Timer? _timer;
    private ConnectionManagerStats? _stats;
    private PipeReader? _bodyReader;
    private CancellationTokenSource? _attempt;
    private long _deadline;
    private int _generation;
    private volatile Phase _phase;

    public RequestTimeout()
    {
        _body = new RequestTimeoutBody(this);
    }

    private enum Phase
    {
        Idle,
        Armed,
        Disarmed,
        Fired,
    }

    /// <summary>The timer expired before the request was received in full and before the response started.</summary>
    public bool HasFired => _phase == Phase.Fired;

    /// <summary>Which request on this pooled stream the timer is armed for; a body read checks it before disarming.</summary>
    internal int Generation => Volatile.Read(ref _generation);

    /// <summary>Whether a request needs the timer at all: one whose headers ended it is complete already.</summary>
    public static bool AppliesTo(HttpContext context) => EarlyResponse.RequestContinuesAfterHeaders(context);

    /// <summary>The 408 Envoy answers on expiry (a reset once the response has started), gRPC-mapped for gRPC requests.</summary>
    public static Task SendReplyAsync(HttpStream stream) =>
        stream.SendLocalReplyAsync(StatusCodes.Status408RequestTimeout, "request timeout", ResponseFlags.None, "request_overall_timeout", requestComplete: false);

    public void Arm(HttpContext context, ConnectionManagerStats stats, TimeSpan timeout)
    {
        var request = context.Request;
        lock (_lock)
        {
            _generation++;
            // The server's own reader, taken before the body is wrapped: cancelling its pending read ends the read of
            // whichever stream sits on top of it (this wrapper, the router's retry buffer).
            _bodyReader = request.BodyReader;
            _body.Wrap(request.Body, _generation);
            _stats = stats;
            _deadline = Stopwatch.GetTimestamp() + (long)Math.Min(timeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2);
            _phase = Phase.Armed;
            _timer ??= new Timer(static state => ((RequestTimeout)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(Math.Min((long)Math.Ceiling(timeout.TotalMilliseconds), MaxTimerMilliseconds), Timeout.Infinite);
        }
        request.Body = _body;
    }

    /// <summary>The request has been received in full, or the response has started: the timer no longer applies.</summary>
    public void Disarm() => Disarm(Generation);

    /// <summary>Disarms only if the timer is still armed for request <paramref name="generation"/>.</summary>
    internal void Disarm(int generation)
    {
        lock (_lock)
        {
            if (_phase == Phase.Armed && _generation == generation)
            {
                _phase = Phase.Disarmed;
                _timer!.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    /// <summary>
    /// The upstream attempt that is waiting on the downstream body (the router's deadline source): cancelled on
    /// expiry, at once if the timer has already fired. Detached before the source goes back to its pool.
    /// </summary>
    public void Attach(CancellationTokenSource attempt)
    {
        lock (_lock)
        {
            _attempt = attempt;
            if (_phase == Phase.Fired)
            {
                attempt.Cancel();
            }
        }
    }

    public void Detach()
    {
        lock (_lock)
        {
            _attempt = null;
        }
    }

    /// <summary>The request is over: stop the timer and let go of it before the stream is reused.</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (_phase == Phase.Armed)
            {
                _timer!.Change(Timeout.Infinite, Timeout.Infinite);
            }
            _phase = Phase.Idle;
            _attempt = null;
            _bodyReader = null;
            _stats = null;
            _body.Wrap(Stream.Null, 0);
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_phase != Phase.Armed)
            {
                return;
            }
            var remaining = _deadline - Stopwatch.GetTimestamp();
            if (remaining > 0)
            {
                // Queued for an earlier request on this stream before its timer was disarmed, woken a little early,
                // or one round of a very long timeout: this request's deadline has not come yet.
                var ms = (long)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
                _timer!.Change(Math.Clamp(ms, 1, MaxTimerMilliseconds), Timeout.Infinite);
                return;
            }
            _phase = Phase.Fired;
            _stats!.DownstreamRqTimeout.Inc();
            // Under the lock, so neither can be handed to another request meanwhile. Both may run the request's
            // continuations inline (HTTP/1 connections run on their I/O thread); the lock is reentrant for them.
            try
            {
                _bodyReader?.CancelPendingRead();
                _attempt?.Cancel();
            }
            catch (Exception)
            {
                // A timer callback must not throw; the request has what it needs (the phase) to answer.
            }
        }
    }
}
