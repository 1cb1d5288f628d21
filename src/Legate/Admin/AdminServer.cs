using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Address = Envoy.Config.Core.V3.Address;
using SocketAddress = Envoy.Config.Core.V3.SocketAddress;
using Legate.Config;
using Legate.Http;
using Legate.Listeners;
using Legate.Server;
using Legate.Stats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Legate.Admin;

/// <summary>
/// Envoy's admin interface on <c>bootstrap.admin.address</c>: its own KestrelServer (HTTP/1.1), the
/// endpoint table, Envoy's admin response headers, and the <c>http.admin.*</c> / <c>listener.admin.*</c>
/// stats. Up before the server finishes initialising, like Envoy's.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly AdminContext _context;
    private readonly IPEndPoint _configuredEndPoint;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConnectionManagerStats _httpStats;
    private readonly ListenerStats _listenerStats;
    private readonly TimeSpan _flushInterval;
    private KestrelServer? _kestrel;
    private ListenOptions? _listenOptions;
    private Timer? _flushTimer;

    public AdminServer(LegateServer server, Envoy.Config.Bootstrap.V3.Admin config, AdminOptions options)
    {
        _context = new AdminContext(server, config, options);
        _configuredEndPoint = ResolveAddress(config.Address);
        _loggerFactory = server.Context.LoggerFactory;
        _logger = _loggerFactory.CreateLogger("admin");
        Handlers = AdminHandlerTable.CreateDefault(_context);
        var stats = server.Stats;
        _httpStats = new ConnectionManagerStats(stats.Scope("http.admin"), stats.Scope("listener.admin.http.admin"));
        _listenerStats = new ListenerStats(stats.Scope("listener.admin"));
        var flush = server.Bootstrap.StatsFlushInterval;
        _flushInterval = flush is not null && flush.ToTimeSpan() > TimeSpan.Zero ? flush.ToTimeSpan() : TimeSpan.FromSeconds(5);
    }

    public AdminContext Context => _context;

    public AdminHandlerTable Handlers { get; }

    /// <summary>The address actually bound (port 0 resolved), once started.</summary>
    public IPEndPoint? BoundEndPoint => _listenOptions?.IPEndPoint;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = CreateServices(_loggerFactory) };
        options.Listen(_configuredEndPoint, lo =>
        {
            lo.Protocols = HttpProtocols.Http1;
            lo.Use(next => connection => CountConnectionAsync(next, connection));
            _listenOptions = lo;
        });
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), _loggerFactory);
        _kestrel = new KestrelServer(Options.Create(options), transport, _loggerFactory);
        try
        {
            await _kestrel.StartAsync(new Legate.Listeners.Kestrel.HttpApplication(HandleAsync), cancellationToken);
        }
        catch (IOException ex)
        {
            // Kestrel reports a taken or unusable address as an IOException; like a listener's, it is a config error.
            throw new ConfigException("admin.address", "cannot bind " + FormatAddress(_configuredEndPoint) + ": " + ex.Message, ex);
        }
        var bound = BoundEndPoint!;
        var address = FormatAddress(bound);
        _logger.LogInformation("admin address: {Address}", address);
        if (_context.Options.AddressPath is { Length: > 0 } path)
        {
            try
            {
                await File.WriteAllTextAsync(path, address, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogCritical("cannot open admin address output file {Path} for writing.", path);
            }
        }
        _flushTimer = new Timer(_ => Flush(), null, _flushInterval, _flushInterval);
        Dashboard.DashboardSampler.For(_context).Start();
    }

    public async Task StopAsync()
    {
        await Dashboard.DashboardSampler.For(_context).StopAsync();
        if (_flushTimer is not null)
        {
            await _flushTimer.DisposeAsync();
            _flushTimer = null;
        }
        if (_kestrel is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _kestrel.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
            _kestrel.Dispose();
            _kestrel = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Runs one admin request in-process (Envoy's Admin::request), e.g. for tests or signals.</summary>
    public async Task<AdminResponse> RequestAsync(string method, string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = AdminRequest.ParseQuery(q < 0 ? null : pathAndQuery[q..]);
        return await DispatchAsync(new AdminRequest(method, path, query));
    }

    private async Task<AdminResponse> DispatchAsync(AdminRequest request)
    {
        var handler = Handlers.Find(request.Path);
        if (handler is null)
        {
            return AdminResponse.Text("invalid path. " + Handlers.Help(), 404);
        }
        if (handler.MutatesState && request.Method != HttpMethods.Post)
        {
            _logger.LogError("admin path \"{Path}\" mutates state, method={Method} rather than POST", handler.Prefix, request.Method);
            return AdminResponse.Text("Method " + request.Method + " not allowed, POST required.", 405);
        }
        try
        {
            return await handler.Handle(request);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "admin handler {Path} failed", handler.Prefix);
            return AdminResponse.Text(ex.Message + "\n", 500);
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        _httpStats.DownstreamRqTotal.Inc();
        _httpStats.DownstreamRqHttp1Total.Inc();
        _httpStats.DownstreamRqActive.Inc();
        var status = 500;
        try
        {
            var query = AdminRequest.ParseQuery(http.Request.QueryString.Value);
            if (http.Request.Method == HttpMethods.Post && http.Request.HasFormContentType)
            {
                // /runtime_modify (and others) accept their parameters as a form body too.
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                foreach (var (key, values) in form)
                {
                    foreach (var value in values)
                    {
                        query.Add(new(key, value ?? string.Empty));
                    }
                }
            }
            var request = new AdminRequest(http.Request.Method, http.Request.Path.Value ?? "/", query);
            var response = await DispatchAsync(request);
            status = response.StatusCode;
            var headers = http.Response.Headers;
            http.Response.StatusCode = response.StatusCode;
            headers.ContentType = response.ContentType;
            headers.CacheControl = "no-cache, max-age=0";
            headers.XContentTypeOptions = "nosniff";
            headers.Server = "envoy";
            var body = Encoding.UTF8.GetBytes(response.Body);
            http.Response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(http.Request.Method))
            {
                await http.Response.Body.WriteAsync(body, http.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            _logger.LogDebug(ex, "admin request aborted");
        }
        finally
        {
            _httpStats.DownstreamRqActive.Dec();
            _httpStats.DownstreamRqCompleted.Inc();
            _httpStats.ListenerDownstreamRqCompleted.Inc();
            _httpStats.RecordResponseClass(status);
            _httpStats.DownstreamRqTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task CountConnectionAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var started = Stopwatch.GetTimestamp();
        _listenerStats.DownstreamCxTotal.Inc();
        _listenerStats.DownstreamCxActive.Inc();
        _httpStats.DownstreamCxTotal.Inc();
        _httpStats.DownstreamCxActive.Inc();
        _httpStats.DownstreamCxHttp1Total.Inc();
        _httpStats.DownstreamCxHttp1Active.Inc();
        try
        {
            await next(connection);
        }
        finally
        {
            var length = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _httpStats.DownstreamCxHttp1Active.Dec();
            _httpStats.DownstreamCxActive.Dec();
            _httpStats.DownstreamCxDestroy.Inc();
            _httpStats.DownstreamCxLengthMs.Record(length);
            _listenerStats.DownstreamCxActive.Dec();
            _listenerStats.DownstreamCxDestroy.Inc();
            _listenerStats.DownstreamCxLengthMs.Record(length);
        }
    }

    private void Flush()
    {
        try
        {
            _context.RefreshServerGauges();
            _context.HistogramIntervals.Flush(_context.Server.Stats);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "stats flush failed");
        }
    }

    /// <summary>Envoy's Address::asString: "ip:port", "[v6]:port".</summary>
    public static string FormatAddress(IPEndPoint endPoint) =>
        (endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + endPoint.Address + "]" : endPoint.Address.ToString())
        + ":" + endPoint.Port.ToString(CultureInfo.InvariantCulture);

    private static IPEndPoint ResolveAddress(Address? address)
    {
        if (address?.SocketAddress is not { } socket)
        {
            throw new ConfigException("admin.address", "a socket_address is required");
        }
        if (!IPAddress.TryParse(socket.Address, out var ip))
        {
            throw new ConfigException("admin.address.socket_address.address", "malformed IP address: " + socket.Address);
        }
        if (socket.PortSpecifierCase != SocketAddress.PortSpecifierOneofCase.PortValue && socket.PortSpecifierCase != SocketAddress.PortSpecifierOneofCase.None)
        {
            throw new ConfigException("admin.address.socket_address", "named ports are not supported");
        }
        if (socket.PortValue > 65535)
        {
            throw new ConfigException("admin.address.socket_address.port_value", "invalid port " + socket.PortValue);
        }
        return new IPEndPoint(ip, (int)socket.PortValue);
    }

    private static IServiceProvider CreateServices(ILoggerFactory loggerFactory) => Legate.Listeners.Kestrel.KestrelServices.Create(loggerFactory);
}
