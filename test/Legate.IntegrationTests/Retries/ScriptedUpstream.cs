using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.IntegrationTests.Retries;

/// <summary>
/// An upstream on 127.0.0.1:0 that answers its n-th request with the n-th step of a script (the last step
/// repeats): a status code (body <c>"&lt;status&gt; from attempt &lt;n&gt;"</c>, header <c>x-step</c>),
/// <c>hang</c> (never answers until the proxy gives up) or <c>reset</c> (aborts the connection before headers).
/// It records each request's body and headers, so tests see what every attempt carried.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string[] _script;
    private readonly ConcurrentQueue<(string Body, IHeaderDictionary Headers)> _seen = new();
    private int _requests;

    private ScriptedUpstream(WebApplication app, string[] script)
    {
        _app = app;
        _script = script;
    }

    public int Port { get; private set; }

    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<(string Body, IHeaderDictionary Headers)> Seen => [.. _seen];

    public static async Task<ScriptedUpstream> StartAsync(params string[] script)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app, script);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.Port = new Uri(address).Port;
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests);
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = new HeaderDictionary();
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value;
        }
        _seen.Enqueue((body, headers));
        var step = _script[Math.Min(n, _script.Length) - 1];
        switch (step)
        {
            case "hang":
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            case "reset":
                context.Abort();
                return;
        }
        var status = int.Parse(step, CultureInfo.InvariantCulture);
        context.Response.StatusCode = status;
        context.Response.Headers["x-step"] = step + "-" + n.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(step + " from attempt " + n.ToString(CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
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
