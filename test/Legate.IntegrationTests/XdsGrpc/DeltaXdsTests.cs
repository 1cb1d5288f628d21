using Envoy.Config.Cluster.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Legate.Xds;
using static Legate.IntegrationTests.XdsGrpc.XdsClientHarness;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>Incremental (delta) xDS against a real management server.</summary>
public sealed class DeltaXdsTests : IAsyncLifetime
{
    private ManagementServer _server = null!;

    public async Task InitializeAsync() => _server = await ManagementServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SubscribeUnsubscribeAndRemovedResources()
    {
        await using var client = Create(_server, adsApiType: "DELTA_GRPC");
        var callbacks = new RecordingCallbacks();
        using var eds = client.Provider.CreateAds(EndpointType, callbacks, client.Stats("cluster.x."), "eds_config.ads");
        eds.Start(["a", "b"]);
        var stream = await _server.NextStreamAsync();
        Assert.Equal("DeltaAggregatedResources", stream.Method);
        var first = await stream.NextDeltaRequestAsync();
        Assert.Equal(EndpointType, first.TypeUrl);
        Assert.Equal(["a", "b"], first.ResourceNamesSubscribe);
        Assert.Empty(first.ResourceNamesUnsubscribe);
        Assert.Empty(first.InitialResourceVersions);
        Assert.Equal("test-node", first.Node.Id);
        Assert.Equal(string.Empty, first.ResponseNonce);

        stream.Send(Response("d1", Resource("a", "1", Endpoints("a", 1)), Resource("b", "1", Endpoints("b", 2))));
        var update = await callbacks.NextUpdateAsync();
        Assert.True(update.Delta);
        Assert.Equal(["a", "b"], update.Names());
        var ack = await stream.NextDeltaRequestAsync();
        Assert.Equal("d1", ack.ResponseNonce);
        Assert.Null(ack.ErrorDetail);
        Assert.Empty(ack.ResourceNamesSubscribe);

        eds.UpdateResourceInterest(["b", "c"]);
        var change = await stream.NextDeltaRequestAsync();
        Assert.Equal(["c"], change.ResourceNamesSubscribe);
        Assert.Equal(["a"], change.ResourceNamesUnsubscribe);
        Assert.Equal(string.Empty, change.ResponseNonce);

        var removal = Response("d2");
        removal.RemovedResources.Add("b");
        stream.Send(removal);
        var removed = await callbacks.NextUpdateAsync();
        Assert.Empty(removed.Resources);
        Assert.Equal(["b"], removed.Removed);
        Assert.Equal("d2", (await stream.NextDeltaRequestAsync()).ResponseNonce);
        Assert.Equal(2, client.Counter("cluster.x.update_success"));
    }

    [Fact]
    public async Task ReconnectSendsInitialResourceVersions()
    {
        await using var client = Create(_server, adsApiType: "AGGREGATED_DELTA_GRPC");
        var callbacks = new RecordingCallbacks();
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        var first = await stream.NextDeltaRequestAsync();
        Assert.Empty(first.ResourceNamesSubscribe);
        stream.Send(Response("d1", Resource("a", "va", Cluster("a")), Resource("b", "vb", Cluster("b"))));
        await callbacks.NextUpdateAsync();
        await stream.NextDeltaRequestAsync();

        stream.Kill();
        var second = await _server.NextStreamAsync();
        var again = await second.NextDeltaRequestAsync();
        Assert.Equal(ClusterType, again.TypeUrl);
        Assert.Equal("va", again.InitialResourceVersions["a"]);
        Assert.Equal("vb", again.InitialResourceVersions["b"]);
        Assert.Equal(2, again.InitialResourceVersions.Count);
        Assert.Equal("test-node", again.Node.Id);
        Assert.Equal(1, callbacks.UpdateCount);
    }

    [Fact]
    public async Task BadResourceIsNackedByNonce()
    {
        await using var client = Create(_server, adsApiType: "DELTA_GRPC");
        var callbacks = new RecordingCallbacks { Validate = RejectUnknownLbPolicy };
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        await stream.NextDeltaRequestAsync();
        stream.Send(Response("bad", Resource("a", "1", Cluster("a", (Cluster.Types.LbPolicy)99))));
        var failure = await callbacks.NextFailureAsync();
        Assert.Equal(ConfigUpdateFailureReason.UpdateRejected, failure.Reason);
        var nack = await stream.NextDeltaRequestAsync();
        Assert.Equal("bad", nack.ResponseNonce);
        Assert.Equal(13, nack.ErrorDetail.Code);
        Assert.Contains("resources[0].lb_policy", nack.ErrorDetail.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.Counter("cluster_manager.cds.update_rejected"));

        // The rejected version is not claimed on the next stream.
        stream.Kill();
        var second = await _server.NextStreamAsync();
        Assert.Empty((await second.NextDeltaRequestAsync()).InitialResourceVersions);
    }

    private static DeltaDiscoveryResponse Response(string nonce, params Resource[] resources)
    {
        var response = new DeltaDiscoveryResponse
        {
            Nonce = nonce,
            SystemVersionInfo = "sys-" + nonce,
        };
        response.Resources.AddRange(resources);
        response.TypeUrl = resources.Length > 0 ? resources[0].Resource_.TypeUrl : EndpointType;
        return response;
    }

    private static Resource Resource(string name, string version, IMessage message) => new()
    {
        Name = name,
        Version = version,
        Resource_ = Any.Pack(message),
    };
}
