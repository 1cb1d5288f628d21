using System.Collections.Immutable;
using System.Net.Sockets;
using Envoy.Config.Listener.V3;
using Legate.Listeners.Kestrel;
using Legate.Server;
using Legate.Stats;
using Microsoft.Extensions.Logging;

namespace Legate.Listeners;

/// <summary>
/// Owns the running listeners, with Envoy's lifecycle: a new or updated listener first warms (waits for
/// its init targets, e.g. RDS route configs) while the listener it replaces keeps serving; then it binds,
/// and the old one drains (stops accepting, in-flight requests get the drain time). Removing drains and
/// releases the socket. The active set is an immutable snapshot.
/// </summary>
public sealed class ListenerManager : IAsyncDisposable
{
    /// <summary>How long a replacement waits for the old listener to release the same address.</summary>
    private static readonly TimeSpan s_rebindTimeout = TimeSpan.FromSeconds(5);

    private readonly ServerContext _server;
    private readonly int _ioQueueCount;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<IServiceProvider> _kestrelServices;
    private readonly Lock _stateGate = new();
    private readonly Dictionary<string, Warming> _warming = new(StringComparer.Ordinal);
    private readonly List<ListenerEntry> _draining = [];
    private ImmutableDictionary<string, ActiveListener> _listeners = ImmutableDictionary<string, ActiveListener>.Empty;
    private ImmutableDictionary<string, ListenerEntry> _activeEntries = ImmutableDictionary<string, ListenerEntry>.Empty;

    private readonly Counter _added;
    private readonly Counter _modified;
    private readonly Counter _removed;
    private readonly Counter _createSuccess;
    private readonly Counter _createFailure;
    private readonly Gauge _active;
    private readonly Gauge _warmingGauge;
    private readonly Gauge _drainingGauge;

    public ListenerManager(ServerContext server, int ioQueueCount)
    {
        _server = server;
        _ioQueueCount = ioQueueCount;
        _logger = server.LoggerFactory.CreateLogger("config");
        _kestrelServices = new Lazy<IServiceProvider>(() => KestrelServices.Create(server.LoggerFactory));
        var scope = server.Stats.Scope("listener_manager");
        _added = scope.Counter("listener_added");
        _modified = scope.Counter("listener_modified");
        _removed = scope.Counter("listener_removed");
        _createSuccess = scope.Counter("listener_create_success");
        _createFailure = scope.Counter("listener_create_failure");
        _active = scope.Gauge("total_listeners_active");
        _warmingGauge = scope.Gauge("total_listeners_warming");
        _drainingGauge = scope.Gauge("total_listeners_draining");
        scope.Gauge("workers_started").Set(1);
    }

    public IReadOnlyCollection<ActiveListener> Listeners => new List<ActiveListener>(_listeners.Values);

    public ActiveListener? Get(string name) => _listeners.TryGetValue(name, out var l) ? l : null;

    /// <summary>Every listener the manager knows, in each state it is in (config dump's dynamic_listeners).</summary>
    public IReadOnlyList<ListenerEntry> Entries
    {
        get
        {
            var list = new List<ListenerEntry>(_activeEntries.Values);
            lock (_stateGate)
            {
                foreach (var warming in _warming.Values)
                {
                    list.Add(warming.Entry);
                }
                list.AddRange(_draining);
            }
            return list;
        }
    }

    /// <summary>True when <paramref name="config"/> is what the active or warming listener of that name already runs.</summary>
    public bool HasConfig(Listener config)
    {
        lock (_stateGate)
        {
            if (_warming.TryGetValue(config.Name, out var warming))
            {
                return warming.Entry.Config.Equals(config);
            }
        }
        return _listeners.TryGetValue(config.Name, out var active) && active.Definition.Config.Equals(config);
    }

    /// <summary>Builds and binds a static listener; completes once it is active.</summary>
    public Task AddOrUpdateAsync(Listener config, string path, TimeSpan drainTime, CancellationToken cancellationToken) =>
        AddOrUpdateAsync(ListenerBuilder.Build(config, _server, path), path, string.Empty, false, drainTime, cancellationToken);

    /// <summary>
    /// Warms, binds and activates a built listener; an existing one with the same name drains afterwards.
    /// Completes when it is active, or when a later update or a removal superseded it while warming.
    /// Throws ConfigException when the address cannot be bound.
    /// </summary>
    public async Task AddOrUpdateAsync(ListenerDefinition definition, string path, string versionInfo, bool addedViaApi, TimeSpan drainTime, CancellationToken cancellationToken)
    {
        var config = definition.Config;
        var entry = new ListenerEntry(config, ListenerState.Warming, versionInfo, DateTimeOffset.UtcNow, addedViaApi);
        var warming = new Warming(entry);
        Task? sameConfigWarming = null;
        lock (_stateGate)
        {
            if (_warming.TryGetValue(config.Name, out var previousWarming))
            {
                if (previousWarming.Entry.Config.Equals(config))
                {
                    sameConfigWarming = previousWarming.Done.Task;
                }
                else
                {
                    previousWarming.Done.TrySetResult();
                }
            }
            else if (_listeners.TryGetValue(config.Name, out var current) && current.Definition.Config.Equals(config))
            {
                return;
            }
            if (sameConfigWarming is null)
            {
                _warming[config.Name] = warming;
                _warmingGauge.Set(_warming.Count);
            }
        }
        if (sameConfigWarming is not null)
        {
            await sameConfigWarming.WaitAsync(cancellationToken);
            return;
        }
        try
        {
            var targets = InitTargetsOf(definition);
            if (targets.Count > 0)
            {
                _logger.LogInformation("listener '{Name}' warming: waiting for {Count} route configuration(s)", config.Name, targets.Count);
                await Task.WhenAll(targets).WaitAsync(cancellationToken);
            }
            await ActivateAsync(definition, warming, path, drainTime, cancellationToken);
        }
        finally
        {
            lock (_stateGate)
            {
                if (_warming.TryGetValue(config.Name, out var current) && ReferenceEquals(current, warming))
                {
                    _warming.Remove(config.Name);
                    _warmingGauge.Set(_warming.Count);
                }
            }
            warming.Done.TrySetResult();
        }
    }

    /// <summary>Removes a listener (warming or active); an active one drains, then its socket is released.</summary>
    public async Task<bool> RemoveAsync(string name, TimeSpan drainTime)
    {
        var found = false;
        lock (_stateGate)
        {
            if (_warming.Remove(name, out var warming))
            {
                _warmingGauge.Set(_warming.Count);
                warming.Done.TrySetResult();
                found = true;
            }
        }
        ActiveListener? listener;
        ListenerEntry? entry;
        await _gate.WaitAsync();
        try
        {
            if (!_listeners.TryGetValue(name, out listener))
            {
                if (found)
                {
                    _removed.Inc();
                }
                return found;
            }
            _activeEntries.TryGetValue(name, out entry);
            _listeners = _listeners.Remove(name);
            _activeEntries = _activeEntries.Remove(name);
            _active.Set(_listeners.Count);
            _removed.Inc();
        }
        finally
        {
            _gate.Release();
        }
        await DrainAndDisposeAsync(listener, entry, drainTime);
        return true;
    }

    /// <summary>Stops every listener: no new connections, in-flight requests get until the drain deadline.</summary>
    public async Task StopAllAsync(TimeSpan drainTime)
    {
        lock (_stateGate)
        {
            foreach (var warming in _warming.Values)
            {
                warming.Done.TrySetResult();
            }
            _warming.Clear();
            _warmingGauge.Set(0);
        }
        var all = _listeners.Values.ToArray();
        await Task.WhenAll(all.Select(l => l.StopAsync(drainTime)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values)
        {
            await listener.DisposeAsync();
        }
        _listeners = ImmutableDictionary<string, ActiveListener>.Empty;
        _activeEntries = ImmutableDictionary<string, ListenerEntry>.Empty;
    }

    private async Task ActivateAsync(ListenerDefinition definition, Warming warming, string path, TimeSpan drainTime, CancellationToken cancellationToken)
    {
        var config = definition.Config;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_stateGate)
            {
                if (!_warming.TryGetValue(config.Name, out var current) || !ReferenceEquals(current, warming))
                {
                    // Removed or replaced while warming.
                    return;
                }
            }
            _listeners.TryGetValue(config.Name, out var previous);
            _activeEntries.TryGetValue(config.Name, out var previousEntry);
            Task? previousDrain = null;
            ActiveListener listener;
            if (previous is not null && previous.Definition.EndPoint.Equals(definition.EndPoint) && definition.EndPoint.Port != 0)
            {
                // Same address: the old listener stops accepting (and drains in the background) so the new one can bind.
                previousDrain = DrainAndDisposeAsync(previous, previousEntry, drainTime);
                try
                {
                    listener = await BindAsync(definition, path, s_rebindTimeout, cancellationToken);
                }
                catch
                {
                    // The old listener is already draining; it cannot stay active.
                    _listeners = _listeners.Remove(config.Name);
                    _activeEntries = _activeEntries.Remove(config.Name);
                    _active.Set(_listeners.Count);
                    throw;
                }
            }
            else
            {
                listener = await BindAsync(definition, path, TimeSpan.Zero, cancellationToken);
            }
            _createSuccess.Inc();
            _listeners = _listeners.SetItem(config.Name, listener);
            _activeEntries = _activeEntries.SetItem(config.Name, warming.Entry with { State = ListenerState.Active });
            _active.Set(_listeners.Count);
            if (previous is null)
            {
                _added.Inc();
            }
            else
            {
                _modified.Inc();
                previousDrain ??= DrainAndDisposeAsync(previous, previousEntry, drainTime);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ActiveListener> BindAsync(ListenerDefinition definition, string path, TimeSpan retryFor, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + retryFor;
        while (true)
        {
            var listener = new ActiveListener(definition, _kestrelServices.Value, _server.LoggerFactory, _ioQueueCount);
            try
            {
                await listener.StartAsync(cancellationToken);
                return listener;
            }
            catch (Exception ex) when (IsAddressInUse(ex) && DateTime.UtcNow < deadline)
            {
                // The listener being replaced is still releasing the address.
                await listener.DisposeAsync();
                await Task.Delay(20, cancellationToken);
            }
            catch (Exception ex)
            {
                _createFailure.Inc();
                await listener.DisposeAsync();
                throw new Config.ConfigException(Legate.Config.ConfigPath.Join(path, "address"), "cannot bind " + definition.EndPoint + ": " + ex.Message, ex);
            }
        }
    }

    private static bool IsAddressInUse(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }
        return false;
    }

    private static List<Task> InitTargetsOf(ListenerDefinition definition)
    {
        var targets = new List<Task>();
        foreach (var chain in definition.Chains)
        {
            foreach (var filter in chain.Filters)
            {
                if (filter is IHttpNetworkFilter http && !http.Routes.Initialized.IsCompleted)
                {
                    targets.Add(http.Routes.Initialized);
                }
            }
        }
        return targets;
    }

    private async Task DrainAndDisposeAsync(ActiveListener listener, ListenerEntry? entry, TimeSpan drainTime)
    {
        var draining = (entry ?? new ListenerEntry(listener.Definition.Config, ListenerState.Active, string.Empty, DateTimeOffset.UtcNow, false))
            with
        { State = ListenerState.Draining };
        lock (_stateGate)
        {
            _draining.Add(draining);
            _drainingGauge.Set(_draining.Count);
        }
        try
        {
            await listener.StopAsync(drainTime);
            await listener.DisposeAsync();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "error while draining listener '{Name}'", listener.Name);
        }
        finally
        {
            lock (_stateGate)
            {
                _draining.RemoveAt(_draining.FindIndex(e => ReferenceEquals(e, draining)));
                _drainingGauge.Set(_draining.Count);
            }
        }
    }

    private sealed class Warming(ListenerEntry entry)
    {
        public ListenerEntry Entry { get; } = entry;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A listener's config in one lifecycle state, with the LDS version that delivered it.</summary>
public sealed record ListenerEntry(Listener Config, ListenerState State, string VersionInfo, DateTimeOffset LastUpdated, bool AddedViaApi)
{
    public string Name => Config.Name;
}

public enum ListenerState
{
    Warming,
    Active,
    Draining,
}
