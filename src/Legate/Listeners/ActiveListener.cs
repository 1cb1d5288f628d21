using System.Diagnostics;
using System.Net;
using Legate.Http;
using Legate.Listeners.Kestrel;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Legate.Listeners;

/// <summary>
/// A bound listener: one KestrelServer of its own (so it can be added, drained and removed at runtime)
/// whose real socket runs our connection handler; HTTP is served by Kestrel pipelines built on
/// virtual endpoints and chosen per connection.
/// </summary>
public sealed class ActiveListener : IAsyncDisposable
{
    private readonly ListenerDefinition _definition;
    private readonly ListenerPipelines _pipelines = new();
    private readonly ILogger _logger;
    private readonly KestrelServer _server;
    private ListenOptions? _socketOptions;

    internal ActiveListener(ListenerDefinition definition, IServiceProvider kestrelServices, ILoggerFactory loggerFactory, int ioQueueCount)
    {
        _definition = definition;
        _logger = loggerFactory.CreateLogger("conn_handler");
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = kestrelServices };
        ApplyLimits(options, FindHttpSettings(definition));
        options.Listen(definition.EndPoint, lo =>
        {
            lo.Protocols = HttpProtocols.None;
            _socketOptions = lo;
            lo.Run(OnConnectionAsync);
        });
        options.Listen(new VirtualEndPoint(definition.Name + "/h1"), lo =>
        {
            lo.Protocols = HttpProtocols.Http1;
            lo.Use(next => _pipelines.Http1 = next);
        });
        options.Listen(new VirtualEndPoint(definition.Name + "/h2"), lo =>
        {
            lo.Protocols = HttpProtocols.Http2;
            lo.Use(next => _pipelines.Http2 = next);
        });
        // IP listeners choose each connection's I/O scheduling by its protocol (SchedulingConnectionListener).
        var queues = Math.Max(1, ioQueueCount);
        var socketOptions = new SocketTransportOptions { IOQueueCount = queues, NoDelay = true };
        var httpOnly = definition.Chains.All(chain => chain.Filters.Any(filter => filter is IHttpNetworkFilter));
        var transport = new VirtualTransportFactory(new SocketTransportFactory(Options.Create(socketOptions), loggerFactory), queues, httpOnly, loggerFactory);
        _server = new KestrelServer(Options.Create(options), transport, loggerFactory);
    }

    public ListenerDefinition Definition => _definition;

    public string Name => _definition.Name;

    /// <summary>The address actually bound (port 0 resolved), once started.</summary>
    public IPEndPoint? BoundEndPoint => _socketOptions?.IPEndPoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _server.StartAsync(new HttpApplication(DispatchRequestAsync), cancellationToken);
        _logger.LogInformation("listener '{Name}' listening on {Address}", Name, BoundEndPoint);
    }

    /// <summary>Stops accepting at once, lets in-flight requests finish until <paramref name="drainTime"/>, then aborts the rest.</summary>
    public async Task StopAsync(TimeSpan drainTime)
    {
        using var cts = new CancellationTokenSource(drainTime);
        try
        {
            await _server.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        _server.Dispose();
    }

    private async Task OnConnectionAsync(ConnectionContext connection)
    {
        var stats = _definition.Stats;
        stats.DownstreamCxTotal.Inc();
        stats.DownstreamCxActive.Inc();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var local = connection.LocalEndPoint as IPEndPoint;
            var remote = connection.RemoteEndPoint as IPEndPoint;
            var chain = _definition.Selector.Select(local, remote, "raw_buffer");
            if (chain is null)
            {
                stats.NoFilterChainMatch.Inc();
                connection.Abort();
                return;
            }
            var listenerConnection = new ListenerConnection(remote, local, _pipelines, chain);
            foreach (var filter in chain.Filters)
            {
                if (await filter.OnConnectionAsync(connection, listenerConnection))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException)
        {
            _logger.LogDebug(ex, "connection closed with an error");
        }
        finally
        {
            stats.DownstreamCxActive.Dec();
            stats.DownstreamCxDestroy.Inc();
            stats.DownstreamCxLengthMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Hands a request to the connection manager of the filter chain its connection matched.</summary>
    private static Task DispatchRequestAsync(ConnectionRequest request)
    {
        var context = request.Http;
        // A feature lookup that misses the request's own features and falls back to the connection's: costly
        // enough to do on the connection's first request only.
        var connection = request.Downstream ??= context.Features.Get<DownstreamConnection>();
        if (connection is null)
        {
            context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        }
        return connection.ConnectionManager.HandleAsync(context, connection);
    }

    private static HttpConnectionManagerSettings? FindHttpSettings(ListenerDefinition definition)
    {
        foreach (var chain in definition.Chains)
        {
            foreach (var filter in chain.Filters)
            {
                if (filter is IHttpNetworkFilter http)
                {
                    return http.Settings;
                }
            }
        }
        return null;
    }

    /// <summary>Kestrel's limits set to Envoy's defaults: no body cap, no minimum data rates.</summary>
    private static void ApplyLimits(KestrelServerOptions options, HttpConnectionManagerSettings? settings)
    {
        var limits = options.Limits;
        limits.MaxRequestBodySize = null;
        limits.MinRequestBodyDataRate = null;
        limits.MinResponseDataRate = null;
        limits.MaxConcurrentConnections = null;
        limits.MaxConcurrentUpgradedConnections = null;
        settings ??= new HttpConnectionManagerSettings();
        limits.KeepAliveTimeout = settings.IdleTimeout ?? TimeSpan.FromDays(365);
        limits.RequestHeadersTimeout = settings.RequestHeadersTimeout ?? TimeSpan.FromDays(365);
        var headerBytes = settings.MaxRequestHeadersKb * 1024;
        limits.MaxRequestHeadersTotalSize = headerBytes;
        limits.MaxRequestLineSize = headerBytes;
        limits.MaxRequestHeaderCount = settings.MaxHeadersCount;
        limits.Http2.MaxStreamsPerConnection = settings.Http2MaxConcurrentStreams;
        limits.Http2.MaxRequestHeaderFieldSize = headerBytes;
        if (settings.Http2InitialStreamWindowSize is { } sw)
        {
            limits.Http2.InitialStreamWindowSize = Math.Max(65535, sw);
        }
        if (settings.Http2InitialConnectionWindowSize is { } cw)
        {
            limits.Http2.InitialConnectionWindowSize = Math.Max(65535, cw);
        }
    }
}
