using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.IntegrationTests.Support;

/// <summary>
/// A real upstream server on 127.0.0.1:0. Every HTTP request (except the special paths) is answered with
/// <see cref="EchoReply"/> as JSON plus an <c>x-upstream</c> header naming this upstream, so a test can tell
/// which host the proxy picked and what the proxy sent.
/// Special paths: <c>/ws</c> WebSocket echo; <c>/hold</c> waits for <see cref="ReleaseHeld"/> before answering;
/// <c>/never</c> never answers (until the client goes away); gRPC <c>Echo</c> service when <see cref="Grpc"/> is set.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<EchoReply> _seen = new();
    private readonly TaskCompletionSource _bodyAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;
    private int _heldNow;

    private TestUpstream(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>Requests received so far (all paths).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests currently waiting on <c>/hold</c>.</summary>
    public int HeldNow => Volatile.Read(ref _heldNow);

    /// <summary>Completes when the reading of a request body first fails: the proxy abandoned that request midway.</summary>
    public Task RequestBodyAborted => _bodyAborted.Task;

    /// <summary>What the upstream saw, in arrival order.</summary>
    public IReadOnlyCollection<EchoReply> Seen => _seen;

    /// <summary>Lets every request waiting on <c>/hold</c> (now or later) answer.</summary>
    public void ReleaseHeld() => _release.TrySetResult();

    /// <summary>Makes later <c>/hold</c> requests wait again.</summary>
    public void ResetHold() => Interlocked.Exchange(ref _release, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static async Task<TestUpstream> StartAsync(string name, UpstreamProtocol protocol = UpstreamProtocol.Http1, bool grpc = false)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        if (grpc)
        {
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(new EchoGrpcService.UpstreamName(name));
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocol == UpstreamProtocol.Http2
                ? HttpProtocols.Http2
                : HttpProtocols.Http1);
        });
        var app = builder.Build();
        var upstream = new TestUpstream(name, app);
        app.UseWebSockets();
        if (grpc)
        {
            app.UseRouting();
            // Explicit UseEndpoints: the terminal app.Run below would otherwise run before the implicit one.
#pragma warning disable ASP0014
            app.UseEndpoints(e => e.MapGrpcService<EchoGrpcService>());
#pragma warning restore ASP0014
        }
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.Port = new Uri(address).Port;
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var reply = new EchoReply
        {
            Upstream = Name,
            Method = request.Method,
            Path = request.Path.Value + request.QueryString.Value,
            Protocol = request.Protocol,
            Host = request.Host.Value ?? string.Empty,
        };
        foreach (var header in request.Headers)
        {
            reply.Headers[header.Key.ToLowerInvariant()] = header.Value.ToString();
        }
        using var body = new StreamReader(request.Body);
        try
        {
            reply.Body = await body.ReadToEndAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            _bodyAborted.TrySetResult();
            throw;
        }
        _seen.Enqueue(reply);

        if (request.Path == "/ws")
        {
            await EchoWebSocketAsync(context);
            return;
        }
        if (request.Path == "/hold")
        {
            Interlocked.Increment(ref _heldNow);
            try
            {
                await Volatile.Read(ref _release).Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _heldNow);
            }
        }
        if (request.Path == "/never")
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-upstream"] = Name;
        context.Response.Headers["server"] = "upstream-" + Name;
        await context.Response.WriteAsync(JsonSerializer.Serialize(reply, EchoReply.JsonOptions));
    }

    private static async Task EchoWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseHeld();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }
}

public enum UpstreamProtocol
{
    Http1,
    Http2,
}
