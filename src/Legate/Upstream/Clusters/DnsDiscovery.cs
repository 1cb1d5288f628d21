using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Legate.Upstream.Clusters;

/// <summary>
/// The resolve-then-wait loop shared by STRICT_DNS and LOGICAL_DNS: one loop per endpoint name, each
/// refreshing every dns_refresh_rate, backing off at dns_failure_refresh_rate after failures. A failed
/// resolution keeps the hosts of the last good one (none if there never was one).
/// </summary>
internal abstract class DnsDiscovery : IHostDiscovery
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pendingFirstResolutions;
    private int _disposed;

    protected DnsDiscovery(string clusterName, IReadOnlyList<EndpointSpec> targets, DnsSettings settings, ClusterTypeContext context)
    {
        ClusterName = clusterName;
        Targets = targets;
        Settings = settings;
        Context = context;
        _pendingFirstResolutions = targets.Count;
        if (targets.Count == 0)
        {
            _initialized.TrySetResult();
        }
    }

    public Task Initialized => _initialized.Task;

    public bool WaitForWarmOnInit => Settings.WaitForWarmOnInit;

    protected string ClusterName { get; }

    protected IReadOnlyList<EndpointSpec> Targets { get; }

    protected DnsSettings Settings { get; }

    protected ClusterTypeContext Context { get; }

    protected IHostSink Sink { get; private set; } = null!;

    public void Start(IHostSink sink)
    {
        Sink = sink;
        for (var i = 0; i < Targets.Count; i++)
        {
            _ = RunAsync(i);
        }
    }

    public void Dispose()
    {
        // Called twice for a retired cluster (stop discovery, later dispose); the CTS is only cancelled,
        // never disposed, so loops still holding its token stay safe.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _initialized.TrySetResult();
        }
    }

    /// <summary>Publishes a successful resolution of target <paramref name="index"/>; returns whether hosts changed.</summary>
    protected abstract bool OnResolved(int index, IPAddress[] addresses);

    private async Task RunAsync(int index)
    {
        var token = _stop.Token;
        var target = Targets[index];
        var failures = 0;
        var first = true;
        while (!token.IsCancellationRequested)
        {
            Sink.Stats.UpdateAttempt.Inc();
            IPAddress[]? addresses = null;
            try
            {
                addresses = await DnsLookup.ResolveAsync(target.Address, Settings.Family, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or ArgumentException)
            {
                Sink.Stats.UpdateFailure.Inc();
                Context.Logger.LogWarning("cluster {Cluster}: DNS resolution of {Name} failed: {Error}", ClusterName, target.Address, e.Message);
            }

            if (addresses is not null)
            {
                failures = 0;
                if (addresses.Length == 0)
                {
                    Context.Logger.LogWarning("cluster {Cluster}: DNS resolution of {Name} returned no {Family} addresses", ClusterName, target.Address, Settings.Family);
                }
                if (token.IsCancellationRequested)
                {
                    return;
                }
                var changed = OnResolved(index, addresses);
                Sink.Stats.UpdateSuccess.Inc();
                if (!changed)
                {
                    Sink.Stats.UpdateNoRebuild.Inc();
                }
            }
            else
            {
                failures++;
            }

            if (first)
            {
                first = false;
                if (Interlocked.Decrement(ref _pendingFirstResolutions) == 0)
                {
                    _initialized.TrySetResult();
                }
            }

            var delay = addresses is not null ? Settings.RefreshRate : Settings.FailureDelay(failures);
            try
            {
                await Task.Delay(delay, Context.Time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
