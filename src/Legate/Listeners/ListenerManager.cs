using System.Collections.Immutable;
using Envoy.Config.Listener.V3;
using Legate.Listeners.Kestrel;
using Legate.Server;
using Legate.Stats;
using Microsoft.Extensions.Logging;

namespace Legate.Listeners;

/// <summary>
/// Owns the running listeners. Adding binds a new KestrelServer; updating starts the replacement and
/// drains the old one; removing drains and releases the socket. The set is an immutable snapshot.
/// </summary>
public sealed class ListenerManager : IAsyncDisposable
{
    private readonly ServerContext _server;
    private readonly int _ioQueueCount;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lazy<IServiceProvider> _kestrelServices;
    private ImmutableDictionary<string, ActiveListener> _listeners = ImmutableDictionary<string, ActiveListener>.Empty;

    private readonly Counter _added;
    private readonly Counter _modified;
    private readonly Counter _removed;
    private readonly Counter _createSuccess;
    private readonly Counter _createFailure;
    private readonly Gauge _active;

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
        scope.Gauge("total_listeners_warming");
        scope.Gauge("total_listeners_draining");
        scope.Gauge("workers_started").Set(1);
    }

    public IReadOnlyCollection<ActiveListener> Listeners => [.. _listeners.Values];

    public ActiveListener? Get(string name) => _listeners.TryGetValue(name, out var l) ? l : null;

    /// <summary>Builds and binds a listener; an existing one with the same name is drained afterwards.</summary>
    public async Task AddOrUpdateAsync(Listener config, string path, TimeSpan drainTime, CancellationToken cancellationToken)
    {
        var definition = ListenerBuilder.Build(config, _server, path);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _listeners.TryGetValue(config.Name, out var previous);
            if (previous is not null && previous.Definition.Config.Equals(config))
            {
                return;
            }
            var listener = new ActiveListener(definition, _kestrelServices.Value, _server.LoggerFactory, _ioQueueCount);
            try
            {
                if (previous is not null && previous.Definition.EndPoint.Equals(definition.EndPoint) && definition.EndPoint.Port != 0)
                {
                    // Same address: the old socket must be released before the new one binds.
                    await previous.StopAsync(TimeSpan.Zero);
                }
                await listener.StartAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                _createFailure.Inc();
                await listener.DisposeAsync();
                throw new Config.ConfigException(ConfigPath(path), "cannot bind " + definition.EndPoint + ": " + ex.Message, ex);
            }
            _createSuccess.Inc();
            _listeners = _listeners.SetItem(config.Name, listener);
            _active.Set(_listeners.Count);
            if (previous is null)
            {
                _added.Inc();
            }
            else
            {
                _modified.Inc();
                _ = DrainAndDisposeAsync(previous, drainTime);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> RemoveAsync(string name, TimeSpan drainTime)
    {
        ActiveListener? listener;
        await _gate.WaitAsync();
        try
        {
            if (!_listeners.TryGetValue(name, out listener))
            {
                return false;
            }
            _listeners = _listeners.Remove(name);
            _active.Set(_listeners.Count);
            _removed.Inc();
        }
        finally
        {
            _gate.Release();
        }
        await DrainAndDisposeAsync(listener, drainTime);
        return true;
    }

    /// <summary>Stops every listener: no new connections, in-flight requests get until the drain deadline.</summary>
    public async Task StopAllAsync(TimeSpan drainTime)
    {
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
    }

    private async Task DrainAndDisposeAsync(ActiveListener listener, TimeSpan drainTime)
    {
        try
        {
            await listener.StopAsync(drainTime);
            await listener.DisposeAsync();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "error while draining listener '{Name}'", listener.Name);
        }
    }

    private static string ConfigPath(string path) => Legate.Config.ConfigPath.Join(path, "address");
}
