using System.Collections.Concurrent;
using System.Net;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Legate.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.Tests.Xds.Rest;

/// <summary>A REST-JSON management server on 127.0.0.1:0: records each POSTed DiscoveryRequest and answers with <see cref="Responder"/>.</summary>
internal sealed class RestXdsServer : IAsyncDisposable
{
    private static readonly JsonParser s_parser = new(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry));
    private static readonly JsonFormatter s_formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(ApiTypes.Registry));

    private readonly WebApplication _app;

    private RestXdsServer(WebApplication app)
    {
        _app = app;
    }

    public int Port { get; private set; }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Answers a request; (status, body). Default: 304.</summary>
    public Func<string, DiscoveryRequest, Task<(int Status, string Body)>> Responder { get; set; } =
        (_, _) => Task.FromResult((304, string.Empty));

    public static string Json(DiscoveryResponse response) => s_formatter.Format(response);

    public static async Task<RestXdsServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new RestXdsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        var request = s_parser.Parse<DiscoveryRequest>(text);
        var seen = new SeenRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, context.Request.ContentType ?? string.Empty,
            context.Request.Host.Value ?? string.Empty, text, request);
        var (status, body) = await Responder(seen.Path, request);
        Requests.Enqueue(seen);
        context.Response.StatusCode = status;
        if (body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed record SeenRequest(string Method, string Path, string ContentType, string Host, string Body, DiscoveryRequest Request);
}
