using System.Collections.Concurrent;
using System.Net;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.IntegrationTests.XdsRest;

/// <summary>
/// A minimal REST-JSON xDS management server on 127.0.0.1:0, as a control plane would run one: per REST
/// path (<c>/v3/discovery:clusters</c>, <c>:endpoints</c>, ...) a versioned snapshot of resources; a
/// request already at the snapshot's version gets 304 Not Modified, otherwise the whole snapshot as a
/// DiscoveryResponse in JSON. Every request is recorded.
/// </summary>
internal sealed class RestManagementServer : IAsyncDisposable
{
    private static readonly JsonParser s_parser = new(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry));
    private static readonly JsonFormatter s_formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(ApiTypes.Registry));

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, DiscoveryResponse> _snapshots = new(StringComparer.Ordinal);
    private int _nonce;

    private RestManagementServer(WebApplication app)
    {
        _app = app;
    }

    public int Port { get; private set; }

    /// <summary>(path, request) in arrival order.</summary>
    public ConcurrentQueue<(string Path, DiscoveryRequest Request)> Requests { get; } = new();

    public static async Task<RestManagementServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RestManagementServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return server;
    }

    /// <summary>Replaces what <paramref name="path"/> serves (e.g. "/v3/discovery:clusters").</summary>
    public void Set(string path, string typeUrl, string version, params IMessage[] resources)
    {
        var response = new DiscoveryResponse { VersionInfo = version, TypeUrl = typeUrl };
        foreach (var resource in resources)
        {
            response.Resources.Add(Any.Pack(resource));
        }
        _snapshots[path] = response;
    }

    /// <summary>The requests for <paramref name="path"/> so far.</summary>
    public List<DiscoveryRequest> RequestsFor(string path)
    {
        var list = new List<DiscoveryRequest>();
        foreach (var (p, request) in Requests)
        {
            if (p == path)
            {
                list.Add(request);
            }
        }
        return list;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = 405;
            return;
        }
        using var reader = new StreamReader(context.Request.Body);
        var request = s_parser.Parse<DiscoveryRequest>(await reader.ReadToEndAsync(context.RequestAborted));
        Requests.Enqueue((path, request));
        if (!_snapshots.TryGetValue(path, out var snapshot))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (request.VersionInfo == snapshot.VersionInfo)
        {
            context.Response.StatusCode = 304;
            return;
        }
        var response = snapshot.Clone();
        response.Nonce = Interlocked.Increment(ref _nonce).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(s_formatter.Format(response), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
