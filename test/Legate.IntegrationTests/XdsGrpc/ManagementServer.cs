using System.Net;
using System.Threading.Channels;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>
/// A real xDS management server on 127.0.0.1:0 (h2c) built on our generated service bases: ADS, CDS,
/// EDS, LDS and RDS, state-of-the-world and delta. Tests take each stream from <see cref="Streams"/>,
/// read what the client asked for and push responses; or they set a <see cref="Snapshot"/> per type and
/// the server answers state-of-the-world requests by itself, as go-control-plane does.
/// </summary>
public sealed class ManagementServer : IAsyncDisposable
{
    private readonly Channel<XdsStream> _streams = Channel.CreateUnbounded<XdsStream>();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly List<XdsStream> _open = [];
    private WebApplication? _app;

    public int Port { get; private set; }

    /// <summary>Every stream as it opens.</summary>
    public ChannelReader<XdsStream> Streams => _streams.Reader;

    /// <summary>error_detail.message of the latest NACK on any stream.</summary>
    public string? LastErrorDetail { get; internal set; }

    /// <summary>Streams opened so far.</summary>
    public int StreamCount { get; private set; }

    public static async Task<ManagementServer> StartAsync()
    {
        var server = new ManagementServer();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.UseRouting();
#pragma warning disable ASP0014
        app.UseEndpoints(e =>
        {
            e.MapGrpcService<AdsService>();
            e.MapGrpcService<CdsService>();
            e.MapGrpcService<EdsService>();
            e.MapGrpcService<LdsService>();
            e.MapGrpcService<RdsService>();
        });
#pragma warning restore ASP0014
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>Next stream to open (fails the test after 10 s).</summary>
    public async Task<XdsStream> NextStreamAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await _streams.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no xDS stream was opened within 10 s");
        }
    }

    /// <summary>
    /// Serves <paramref name="resources"/> as version <paramref name="version"/> of the type: pushed now to
    /// every open state-of-the-world stream that asked for the type, and answered to later requests.
    /// </summary>
    public void SetSnapshot(string typeUrl, string version, params IMessage[] resources)
    {
        List<XdsStream> open;
        lock (_gate)
        {
            _snapshots[typeUrl] = new Snapshot(version, resources);
            open = [.. _open];
        }
        foreach (var stream in open)
        {
            stream.Push(typeUrl);
        }
    }

    /// <summary>Ends every open stream with UNAVAILABLE.</summary>
    public void KillAll()
    {
        List<XdsStream> open;
        lock (_gate)
        {
            open = [.. _open];
        }
        foreach (var stream in open)
        {
            stream.Kill();
        }
    }

    internal Snapshot? SnapshotOf(string typeUrl)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault(typeUrl);
        }
    }

    internal async Task RunAsync<TRequest, TResponse>(string method, IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context)
        where TRequest : class, IMessage
        where TResponse : class, IMessage
    {
        var stream = new XdsStream(this, method, typeof(TRequest) == typeof(DeltaDiscoveryRequest));
        lock (_gate)
        {
            _open.Add(stream);
            StreamCount++;
        }
        _streams.Writer.TryWrite(stream);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stream.KilledToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                while (await requests.MoveNext(linked.Token))
                {
                    stream.OnRequest(requests.Current);
                }
            }
            catch (Exception) when (linked.IsCancellationRequested)
            {
                // The client went away or the test killed the stream.
            }
            catch (IOException)
            {
            }
        });
        try
        {
            await foreach (var response in stream.Outgoing.Reader.ReadAllAsync(linked.Token))
            {
                await responses.WriteAsync((TResponse)response, linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(stream);
            }
            stream.Closed();
        }
        await reader;
        if (stream.KilledToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "stream killed by the test"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _app.StopAsync(stopTimeout.Token);
            await _app.DisposeAsync();
        }
    }

    internal sealed record Snapshot(string Version, IReadOnlyList<IMessage> Resources)
    {
        public static string TypeUrlOf(IMessage message) => "type.googleapis.com/" + message.Descriptor.FullName;

        public List<Any> Select(IReadOnlyCollection<string> names)
        {
            var result = new List<Any>();
            foreach (var resource in Resources)
            {
                if (names.Count == 0 || names.Contains("*") || names.Contains(Legate.Xds.ResourceDecoder.NameOf(resource)))
                {
                    result.Add(Any.Pack(resource));
                }
            }
            return result;
        }
    }

    private sealed class AdsService(ManagementServer server) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
    {
        public override Task StreamAggregatedResources(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("StreamAggregatedResources", requestStream, responseStream, context);

        public override Task DeltaAggregatedResources(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("DeltaAggregatedResources", requestStream, responseStream, context);
    }

    private sealed class CdsService(ManagementServer server) : Envoy.Service.Cluster.V3.ClusterDiscoveryService.ClusterDiscoveryServiceBase
    {
        public override Task StreamClusters(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("StreamClusters", requestStream, responseStream, context);

        public override Task DeltaClusters(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("DeltaClusters", requestStream, responseStream, context);
    }

    private sealed class EdsService(ManagementServer server) : Envoy.Service.Endpoint.V3.EndpointDiscoveryService.EndpointDiscoveryServiceBase
    {
        public override Task StreamEndpoints(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("StreamEndpoints", requestStream, responseStream, context);

        public override Task DeltaEndpoints(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("DeltaEndpoints", requestStream, responseStream, context);
    }

    private sealed class LdsService(ManagementServer server) : Envoy.Service.Listener.V3.ListenerDiscoveryService.ListenerDiscoveryServiceBase
    {
        public override Task StreamListeners(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("StreamListeners", requestStream, responseStream, context);

        public override Task DeltaListeners(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("DeltaListeners", requestStream, responseStream, context);
    }

    private sealed class RdsService(ManagementServer server) : Envoy.Service.Route.V3.RouteDiscoveryService.RouteDiscoveryServiceBase
    {
        public override Task StreamRoutes(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("StreamRoutes", requestStream, responseStream, context);

        public override Task DeltaRoutes(IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context) =>
            server.RunAsync("DeltaRoutes", requestStream, responseStream, context);
    }
}
