using Envoy.Config.Cluster.V3;
using Legate.Server;
using Legate.Xds;
using static Legate.IntegrationTests.XdsGrpc.XdsClientHarness;

namespace Legate.IntegrationTests.XdsGrpc;

/// <summary>State-of-the-world xDS against a real management server: requests, ACK/NACK, reconnect.</summary>
public sealed class SotwXdsTests : IAsyncLifetime
{
    private ManagementServer _server = null!;

    public async Task InitializeAsync() => _server = await ManagementServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FirstRequestCarriesNodeTypeUrlAndNames()
    {
        await using var client = Create(_server, options: new ServerRuntimeOptions { Concurrency = 1, ServiceNode = "override-node", ServiceZone = "zone-b" });
        var callbacks = new RecordingCallbacks();
        using var eds = client.Provider.CreateAds(EndpointType, callbacks, client.Stats("cluster.x."), "eds_config.ads");
        eds.Start(["web", "api"]);

        var stream = await _server.NextStreamAsync();
        Assert.Equal("StreamAggregatedResources", stream.Method);
        var request = await stream.NextRequestAsync();
        Assert.Equal(EndpointType, request.TypeUrl);
        Assert.Equal(["api", "web"], request.ResourceNames);
        Assert.Equal(string.Empty, request.VersionInfo);
        Assert.Equal(string.Empty, request.ResponseNonce);
        Assert.Null(request.ErrorDetail);
        Assert.Equal("override-node", request.Node.Id);
        Assert.Equal("test-cluster", request.Node.Cluster);
        Assert.Equal("zone-b", request.Node.Locality.Zone);
        Assert.Equal("envoy", request.Node.UserAgentName);
        Assert.NotEmpty(request.Node.UserAgentVersion);
    }

    [Fact]
    public async Task AckEchoesVersionAndNonceAndCountsStats()
    {
        await using var client = Create(_server);
        var callbacks = new RecordingCallbacks();
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        var first = await stream.NextRequestAsync();
        Assert.Empty(first.ResourceNames);

        var response = new Envoy.Service.Discovery.V3.DiscoveryResponse
        {
            TypeUrl = ClusterType,
            VersionInfo = "v1",
            Nonce = "nonce-1",
            ControlPlane = new Envoy.Config.Core.V3.ControlPlane { Identifier = "test-control-plane" },
        };
        response.Resources.Add(Google.Protobuf.WellKnownTypes.Any.Pack(Cluster("a")));
        response.Resources.Add(Google.Protobuf.WellKnownTypes.Any.Pack(Cluster("b")));
        stream.Send(response);
        var update = await callbacks.NextUpdateAsync();
        Assert.Equal(["a", "b"], update.Names());
        Assert.Equal("v1", update.Version);

        var ack = await stream.NextRequestAsync();
        Assert.Equal("v1", ack.VersionInfo);
        Assert.Equal("nonce-1", ack.ResponseNonce);
        Assert.Equal(ClusterType, ack.TypeUrl);
        Assert.Null(ack.ErrorDetail);
        Assert.Equal(1, client.Counter("cluster_manager.cds.update_success"));
        Assert.Equal(2, client.Counter("cluster_manager.cds.update_attempt"));
        Assert.Equal(0, client.Counter("cluster_manager.cds.update_rejected"));
        Assert.Equal("v1", client.Legate.Stats.TextReadout("cluster_manager.cds.version_text").Value);
        Assert.Equal(VersionHash.Of("v1"), client.Gauge("cluster_manager.cds.version"));
        Assert.Equal(1, client.Gauge("control_plane.connected_state"));
        Assert.Equal("test-control-plane", client.Legate.Stats.TextReadout("control_plane.identifier").Value);
    }

    [Fact]
    public async Task UnreachableServerCountsFailuresAndStaysDisconnected()
    {
        var port = Support.Ports.ReserveAndRelease();
        await using var client = Create(_server, grpcService: "{ google_grpc: { target_uri: \"127.0.0.1:" + port + "\", stat_prefix: xds } }");
        var callbacks = new RecordingCallbacks();
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        Assert.True(await Support.Eventually.TrueAsync(() => client.Counter("cluster_manager.cds.update_failure") >= 2));
        Assert.Equal(0, client.Gauge("control_plane.connected_state"));
        Assert.Equal(0, callbacks.UpdateCount);
        Assert.Equal(0, client.Counter("cluster_manager.cds.update_success"));
    }

    [Fact]
    public async Task BadResourceIsNackedWithFieldPathAndPreviousVersionKept()
    {
        await using var client = Create(_server);
        var callbacks = new RecordingCallbacks { Validate = RejectUnknownLbPolicy };
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        await stream.NextRequestAsync();
        stream.Send(ClusterType, "v1", "n1", Cluster("a"));
        await callbacks.NextUpdateAsync();
        await stream.NextRequestAsync();

        stream.Send(ClusterType, "v2", "n2", Cluster("a"), Cluster("b", (Cluster.Types.LbPolicy)42));
        var failure = await callbacks.NextFailureAsync();
        Assert.Equal(ConfigUpdateFailureReason.UpdateRejected, failure.Reason);
        var nack = await stream.NextRequestAsync();
        Assert.Equal("v1", nack.VersionInfo);
        Assert.Equal("n2", nack.ResponseNonce);
        Assert.NotNull(nack.ErrorDetail);
        Assert.Equal(13, nack.ErrorDetail.Code);
        Assert.Contains("resources[1].lb_policy", nack.ErrorDetail.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.Counter("cluster_manager.cds.update_rejected"));
        Assert.Equal("v1", client.Legate.Stats.TextReadout("cluster_manager.cds.version_text").Value);

        // A later good update is accepted, and the request after it no longer carries the error.
        stream.Send(ClusterType, "v3", "n3", Cluster("a"), Cluster("b"));
        var update = await callbacks.NextUpdateAsync();
        Assert.Equal("v3", update.Version);
        var ack = await stream.NextRequestAsync();
        Assert.Equal("v3", ack.VersionInfo);
        Assert.Equal("n3", ack.ResponseNonce);
        Assert.Null(ack.ErrorDetail);
    }

    [Fact]
    public async Task ResourceOfAnotherTypeIsNacked()
    {
        await using var client = Create(_server);
        var callbacks = new RecordingCallbacks();
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        await stream.NextRequestAsync();
        var response = new Envoy.Service.Discovery.V3.DiscoveryResponse { TypeUrl = ClusterType, VersionInfo = "v1", Nonce = "n1" };
        response.Resources.Add(Google.Protobuf.WellKnownTypes.Any.Pack(Endpoints("a", 1)));
        stream.Send(response);

        var nack = await stream.NextRequestAsync();
        Assert.Equal(string.Empty, nack.VersionInfo);
        Assert.Equal("n1", nack.ResponseNonce);
        Assert.Contains("resources[0]", nack.ErrorDetail.Message, StringComparison.Ordinal);
        Assert.Contains("ClusterLoadAssignment", nack.ErrorDetail.Message, StringComparison.Ordinal);
        Assert.Equal(0, callbacks.UpdateCount);
    }

    [Fact]
    public async Task ReconnectKeepsConfigAndResendsSubscriptions()
    {
        await using var client = Create(_server);
        var clusters = new RecordingCallbacks();
        var endpoints = new RecordingCallbacks();
        using var cds = client.Provider.CreateAds(ClusterType, clusters, client.Stats("cluster_manager.cds."), "cds_config.ads");
        using var eds = client.Provider.CreateAds(EndpointType, endpoints, client.Stats("cluster.a."), "eds_config.ads");
        cds.Start([]);
        eds.Start(["a"]);
        var stream = await _server.NextStreamAsync();
        await stream.NextRequestAsync(ClusterType);
        stream.Send(ClusterType, "c1", "n1", Cluster("a"));
        await clusters.NextUpdateAsync();
        await stream.NextRequestAsync(ClusterType);

        stream.Kill();
        var second = await _server.NextStreamAsync();
        var cdsAgain = await second.NextRequestAsync();
        Assert.Equal(ClusterType, cdsAgain.TypeUrl);
        Assert.Equal("c1", cdsAgain.VersionInfo);
        Assert.Equal(string.Empty, cdsAgain.ResponseNonce);
        Assert.Equal("test-node", cdsAgain.Node.Id);
        var edsAgain = await second.NextRequestAsync();
        Assert.Equal(EndpointType, edsAgain.TypeUrl);
        Assert.Equal(["a"], edsAgain.ResourceNames);
        Assert.Equal(string.Empty, edsAgain.VersionInfo);

        // Nothing was taken away while disconnected; the failure was only counted.
        Assert.Equal(1, clusters.UpdateCount);
        Assert.False(clusters.HasPendingUpdate);
        Assert.True(client.Counter("cluster_manager.cds.update_failure") >= 1);
        Assert.True(await Support.Eventually.TrueAsync(() => client.Gauge("control_plane.connected_state") == 1));

        second.Send(ClusterType, "c2", "n2", Cluster("a"), Cluster("b"));
        Assert.Equal(["a", "b"], (await clusters.NextUpdateAsync()).Names());
    }

    [Fact]
    public async Task PerTypeServiceUsesItsOwnMethodAndNodeOnFirstMessageOnly()
    {
        await using var client = Create(_server);
        var source = new Envoy.Config.Core.V3.ApiConfigSource
        {
            ApiType = Envoy.Config.Core.V3.ApiConfigSource.Types.ApiType.Grpc,
            SetNodeOnFirstMessageOnly = true,
        };
        source.GrpcServices.Add(new Envoy.Config.Core.V3.GrpcService
        {
            GoogleGrpc = new Envoy.Config.Core.V3.GrpcService.Types.GoogleGrpc { TargetUri = "127.0.0.1:" + _server.Port, StatPrefix = "cds" },
        });
        var callbacks = new RecordingCallbacks();
        using var cds = client.Provider.CreateGrpc(source, false, ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.api_config_source");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        Assert.Equal("StreamClusters", stream.Method);
        var first = await stream.NextRequestAsync();
        Assert.NotNull(first.Node);
        stream.Send(ClusterType, "1", "n1", Cluster("a"));
        var ack = await stream.NextRequestAsync();
        Assert.Null(ack.Node);
        Assert.Equal("1", ack.VersionInfo);
        // control_plane stats of a per-type stream live under the subscription's scope.
        Assert.True(await Support.Eventually.TrueAsync(() => client.Gauge("cluster_manager.cds.control_plane.connected_state") == 1));
    }

    [Fact]
    public async Task RateLimitSettingsDelayRequests()
    {
        // One token, refilled at 2/s: the ACK right after the first request has to wait for the bucket.
        await using var client = Create(_server, extraAds: "    rate_limit_settings: { max_tokens: 1, fill_rate: 2 }\n");
        var callbacks = new RecordingCallbacks();
        using var cds = client.Provider.CreateAds(ClusterType, callbacks, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        await stream.NextRequestAsync();
        stream.Send(ClusterType, "1", "n1", Cluster("a"));
        var ack = await stream.NextRequestAsync();
        Assert.Equal("n1", ack.ResponseNonce);
        Assert.True(client.Counter("control_plane.rate_limit_enforced") >= 1);
        Assert.Equal(0, client.Gauge("control_plane.pending_requests"));
    }

    [Fact]
    public async Task AdsMultiplexesClustersAndTheirEndpointsOnOneStream()
    {
        await using var client = Create(_server);
        var endpoints = new Dictionary<string, (ISubscription Subscription, RecordingCallbacks Callbacks)>();
        var clusters = new RecordingCallbacks();
        // Like CDS: every new EDS cluster starts its endpoint subscription from inside the update.
        clusters.Validate = resources =>
        {
            foreach (var resource in resources)
            {
                if (!endpoints.ContainsKey(resource.Name))
                {
                    var callbacks = new RecordingCallbacks();
                    var subscription = client.Provider.CreateAds(EndpointType, callbacks, client.Stats("cluster." + resource.Name + "."), "eds_config.ads");
                    subscription.Start([resource.Name]);
                    endpoints[resource.Name] = (subscription, callbacks);
                }
            }
        };
        using var cds = client.Provider.CreateAds(ClusterType, clusters, client.Stats("cluster_manager.cds."), "cds_config.ads");
        cds.Start([]);
        var stream = await _server.NextStreamAsync();
        await stream.NextRequestAsync();
        stream.Send(ClusterType, "1", "c-n1", Cluster("a"), Cluster("b"));
        await clusters.NextUpdateAsync();

        // The CDS ACK goes first, then one EDS request naming both clusters.
        var ack = await stream.NextRequestAsync();
        Assert.Equal(ClusterType, ack.TypeUrl);
        Assert.Equal("c-n1", ack.ResponseNonce);
        var edsRequest = await stream.NextRequestAsync();
        Assert.Equal(EndpointType, edsRequest.TypeUrl);
        Assert.Equal(["a", "b"], edsRequest.ResourceNames);

        stream.Send(EndpointType, "e1", "e-n1", Endpoints("a", 1001), Endpoints("b", 1002), Endpoints("unrequested", 1003));
        var forA = await endpoints["a"].Callbacks.NextUpdateAsync();
        var forB = await endpoints["b"].Callbacks.NextUpdateAsync();
        Assert.Equal(["a"], forA.Names());
        Assert.Equal(["b"], forB.Names());
        var edsAck = await stream.NextRequestAsync();
        Assert.Equal(EndpointType, edsAck.TypeUrl);
        Assert.Equal("e1", edsAck.VersionInfo);
        Assert.Equal("e-n1", edsAck.ResponseNonce);
        Assert.Equal(1, _server.StreamCount);

        // Dropping a cluster's subscription narrows the EDS request.
        endpoints["b"].Subscription.Dispose();
        var narrowed = await stream.NextRequestAsync();
        Assert.Equal(["a"], narrowed.ResourceNames);
        Assert.Equal("e1", narrowed.VersionInfo);
        endpoints["a"].Subscription.Dispose();
    }
}
