using Envoy.Config.Core.V3;
using Listener = Envoy.Config.Listener.V3.Listener;
using Legate.Config;
using Legate.Listeners;
using Legate.Server;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Lds;

/// <summary>
/// LDS: a wildcard subscription whose updates add, update and remove API listeners. Every listener of an
/// update is built (validated) before any is applied; then each changed listener warms and replaces the old
/// one, which drains over the drain time; absent listeners drain and close. Stats: <c>listener_manager.lds.</c>.
/// Init is ready once the first update's listeners are active (or the update failed or timed out).
/// </summary>
public sealed class LdsApi : ISubscriptionCallbacks, IDisposable
{
    public const string TypeUrl = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private readonly ListenerManager _listeners;
    private readonly ServerContext _server;
    private readonly TimeSpan _drainTime;
    private readonly ILogger _logger;
    private readonly ISubscription _subscription;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _static;
    private Task _applying = Task.CompletedTask;

    public LdsApi(ConfigSource source, string path, ListenerManager listeners, ServerContext server, ISubscriptionFactory factory, IEnumerable<string> staticListeners, TimeSpan drainTime)
    {
        _listeners = listeners;
        _server = server;
        _drainTime = drainTime;
        _static = new HashSet<string>(staticListeners, StringComparer.Ordinal);
        _logger = server.LoggerFactory.CreateLogger("config");
        Stats = new SubscriptionStats(server.Stats.Scope("listener_manager.lds"));
        Init = new InitTarget("LDS");
        _subscription = factory.Create(source, TypeUrl, this, Stats, path);
    }

    public SubscriptionStats Stats { get; }

    public InitTarget Init { get; }

    public string VersionInfo { get; private set; } = string.Empty;

    public void Start() => _subscription.Start([]);

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            names.Add(resource.Name);
        }
        var removed = new List<string>();
        foreach (var entry in _listeners.Entries)
        {
            if (entry.AddedViaApi && entry.State != ListenerState.Draining && !names.Contains(entry.Name))
            {
                removed.Add(entry.Name);
            }
        }
        Apply(resources, removed, versionInfo);
    }

    public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo) =>
        Apply(added, removed, systemVersionInfo);

    public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
    {
        if (reason != ConfigUpdateFailureReason.ConnectionFailure)
        {
            Init.Ready();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _subscription.Dispose();
    }

    private void Apply(IReadOnlyList<DecodedResource> resources, IReadOnlyList<string> removed, string versionInfo)
    {
        var built = new List<(ListenerDefinition Definition, string Path)>();
        for (var i = 0; i < resources.Count; i++)
        {
            var config = (Listener)resources[i].Resource;
            var path = ConfigPath.Index("resources", i);
            if (_static.Contains(config.Name))
            {
                throw new ConfigException(ConfigPath.Join(path, "name"), "listener '" + config.Name + "' can not be updated because it was previously statically configured");
            }
            if (_listeners.HasConfig(config))
            {
                continue;
            }
            built.Add((ListenerBuilder.Build(config, _server, path), path));
        }
        VersionInfo = versionInfo;
        if (built.Count > 0 || removed.Count > 0)
        {
            Stats.ConfigReload.Inc();
            _logger.LogInformation("lds: add/update {Added} listener(s), remove {Removed} listener(s) (version {Version})", built.Count, removed.Count, versionInfo);
        }
        // Binding and draining are asynchronous; updates are applied one after another, in order.
        lock (_gate)
        {
            _applying = ApplyAfterAsync(_applying, built, removed, versionInfo);
        }
    }

    private async Task ApplyAfterAsync(Task previous, List<(ListenerDefinition Definition, string Path)> built, IReadOnlyList<string> removed, string versionInfo)
    {
        await previous.ConfigureAwait(false);
        var ct = _stopping.Token;
        var activations = new List<Task>(built.Count);
        foreach (var name in removed)
        {
            // Not awaited: the socket closes after draining, and later updates need not wait for that.
            _ = _listeners.RemoveAsync(name, _drainTime);
        }
        foreach (var (definition, path) in built)
        {
            activations.Add(ActivateAsync(definition, path, versionInfo, ct));
        }
        if (!Init.IsReady)
        {
            await Task.WhenAll(activations).ConfigureAwait(false);
            Init.Ready();
        }
    }

    private async Task ActivateAsync(ListenerDefinition definition, string path, string versionInfo, CancellationToken ct)
    {
        try
        {
            await _listeners.AddOrUpdateAsync(definition, path, versionInfo, addedViaApi: true, _drainTime, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning("lds: listener '{Name}' failed to start: {Error}", definition.Name, ex.Message);
        }
    }
}
