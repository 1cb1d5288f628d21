using System.Globalization;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Server;
using Legate.Xds;
using Microsoft.Extensions.Logging.Abstractions;
using static Legate.Tests.Polling;

namespace Legate.Tests.Xds.Rest;

public sealed class RestSubscriptionTests : IAsyncLifetime
{
    private const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private const string ClaType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private RestXdsServer _xds = null!;
    private LegateServer _server = null!;
    private readonly List<ISubscription> _subscriptions = [];

    public async Task InitializeAsync()
    {
        _xds = await RestXdsServer.StartAsync();
        var yaml = "node: { id: node-1, cluster: test }\nstatic_resources:\n  clusters:\n  - name: xds_cluster\n    type: STATIC\n    load_assignment:\n      cluster_name: xds_cluster\n"
            + "      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "
            + _xds.Port.ToString(CultureInfo.InvariantCulture) + " } } } }] }]\n";
        _server = new LegateServer(ConfigLoader.LoadBootstrap(null, yaml, ConfigLoadOptions.Strict), new ServerRuntimeOptions { Concurrency = 1 }, NullLoggerFactory.Instance);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var s in _subscriptions)
        {
            s.Dispose();
        }
        await _server.ShutdownAsync(TimeSpan.Zero);
        await _server.DisposeAsync();
        await _xds.DisposeAsync();
    }

    private static ConfigSource Rest(string cluster = "xds_cluster", TimeSpan? refresh = null, TimeSpan? timeout = null)
    {
        var api = new ApiConfigSource
        {
            ApiType = ApiConfigSource.Types.ApiType.Rest,
            RefreshDelay = Duration.FromTimeSpan(refresh ?? TimeSpan.FromHours(1)),
            RequestTimeout = Duration.FromTimeSpan(timeout ?? TimeSpan.FromSeconds(5)),
        };
        api.ClusterNames.Add(cluster);
        return new ConfigSource { ApiConfigSource = api, InitialFetchTimeout = Duration.FromTimeSpan(TimeSpan.Zero) };
    }

    private (ISubscription Subscription, RecordingCallbacks Callbacks, SubscriptionStats Stats) Subscribe(
        ConfigSource source, string typeUrl = ClusterType, string scope = "test.cds", params string[] names)
    {
        var callbacks = new RecordingCallbacks();
        var stats = new SubscriptionStats(_server.Stats.Scope(scope));
        var subscription = _server.Xds.Subscriptions.Create(source, typeUrl, callbacks, stats, "cds_config");
        _subscriptions.Add(subscription);
        subscription.Start(names);
        return (subscription, callbacks, stats);
    }

    private static string Clusters(string version, string nonce, params string[] names)
    {
        var response = new DiscoveryResponse { VersionInfo = version, Nonce = nonce, TypeUrl = ClusterType };
        foreach (var name in names)
        {
            response.Resources.Add(Any.Pack(new Cluster { Name = name, Type = Cluster.Types.DiscoveryType.Static }));
        }
        return RestXdsServer.Json(response);
    }

    private RestXdsServer.SeenRequest Request(int index) => _xds.Requests.ToArray()[index];

    [Fact]
    public async Task FirstPoll_PostsJsonToTheTypesPath_AndAppliesTheResponse()
    {
        _xds.Responder = (_, _) => Task.FromResult((200, Clusters("v1", "n1", "a", "b")));
        var (_, callbacks, stats) = Subscribe(Rest());

        await WaitUntil(() => stats.UpdateSuccess.Value == 1, "first update");
        var seen = Request(0);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/v3/discovery:clusters", seen.Path);
        Assert.StartsWith("application/json", seen.ContentType, StringComparison.Ordinal);
        Assert.Equal("xds_cluster", seen.Host);
        Assert.Contains("\"type_url\"", seen.Body, StringComparison.Ordinal);
        Assert.Equal(ClusterType, seen.Request.TypeUrl);
        Assert.Equal(string.Empty, seen.Request.VersionInfo);
        Assert.Empty(seen.Request.ResourceNames);
        Assert.Equal("node-1", seen.Request.Node.Id);
        Assert.Equal("test", seen.Request.Node.Cluster);

        var update = Assert.Single(callbacks.Updates);
        Assert.Equal("v1", update.Version);
        Assert.Equal(["a", "b"], update.Names);
        Assert.Equal(1, stats.UpdateAttempt.Value);
        Assert.Equal("v1", stats.VersionText.Value);
        Assert.Equal(VersionHash.Of("v1"), stats.Version.Value);
        Assert.True(stats.UpdateTime.Value > 0);
    }

    [Fact]
    public async Task NextPollCarriesTheAcceptedVersion_AndNotModifiedChangesNothing()
    {
        _xds.Responder = (_, request) => Task.FromResult(request.VersionInfo == "v1" ? (304, string.Empty) : (200, Clusters("v1", "n1", "a")));
        var (subscription, callbacks, stats) = Subscribe(Rest());
        await WaitUntil(() => stats.UpdateSuccess.Value == 1, "first update");

        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => _xds.Requests.Count == 2 && stats.UpdateAttempt.Value == 2, "second poll");
        Assert.Equal("v1", Request(1).Request.VersionInfo);
        Assert.Equal("n1", Request(1).Request.ResponseNonce);
        Assert.Null(Request(1).Request.ErrorDetail);

        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => _xds.Requests.Count == 3, "third poll");
        Assert.Single(callbacks.Updates);
        Assert.Equal(1, stats.UpdateSuccess.Value);
        Assert.Equal(0, stats.UpdateFailure.Value + stats.UpdateRejected.Value);
    }

    [Fact]
    public async Task RejectedUpdate_IsNackedWithThePreviousVersionAndErrorDetail_UntilAGoodOneArrives()
    {
        var version = "v1";
        _xds.Responder = (_, _) => Task.FromResult((200, Clusters(version, "n-" + version, "a")));
        var (subscription, callbacks, stats) = Subscribe(Rest());
        await WaitUntil(() => stats.UpdateSuccess.Value == 1, "first update");

        version = "v2";
        callbacks.RejectNext = "resources[0].lb_policy: unknown value";
        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => stats.UpdateRejected.Value == 1, "rejection");
        var failure = Assert.Single(callbacks.Failures);
        Assert.Equal(ConfigUpdateFailureReason.UpdateRejected, failure.Reason);
        Assert.Equal("v1", stats.VersionText.Value);

        version = "v3";
        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => stats.UpdateSuccess.Value == 2, "good update after the NACK");
        var nack = Request(2).Request;
        Assert.Equal("v1", nack.VersionInfo);
        Assert.Equal("n-v2", nack.ResponseNonce);
        Assert.Equal(13, nack.ErrorDetail.Code);
        Assert.Contains("resources[0].lb_policy", nack.ErrorDetail.Message, StringComparison.Ordinal);

        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => _xds.Requests.Count == 4, "poll after the good update");
        Assert.Equal("v3", Request(3).Request.VersionInfo);
        Assert.Null(Request(3).Request.ErrorDetail);
    }

    [Fact]
    public async Task MalformedJson_IsRejected_AndTheResourceTypeMustMatch()
    {
        var replies = new Queue<string>(["{ \"version_info\": ", RestXdsServer.Json(new DiscoveryResponse { VersionInfo = "x", TypeUrl = ClaType })]);
        _xds.Responder = (_, _) => Task.FromResult((200, replies.Count > 0 ? replies.Dequeue() : Clusters("ok", "n", "a")));
        var (subscription, callbacks, stats) = Subscribe(Rest());
        await WaitUntil(() => stats.UpdateRejected.Value == 1, "malformed JSON rejected");

        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => stats.UpdateRejected.Value == 2, "wrong type URL rejected");
        Assert.Contains("type_url", callbacks.Failures[1].Error!.Message, StringComparison.Ordinal);
        Assert.Empty(callbacks.Updates);
        Assert.Equal(0, stats.UpdateFailure.Value);
    }

    [Fact]
    public async Task ServerErrorsAndTimeoutsCountUpdateFailure_AndPollingContinues()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        _xds.Responder = async (_, _) =>
        {
            switch (Interlocked.Increment(ref calls))
            {
                case 1:
                    return (503, string.Empty);
                case 2:
                    await release.Task;
                    return (304, string.Empty);
                default:
                    return (200, Clusters("v1", "n", "a"));
            }
        };
        var (subscription, callbacks, stats) = Subscribe(Rest(timeout: TimeSpan.FromMilliseconds(200)));
        await WaitUntil(() => stats.UpdateFailure.Value == 1, "503 counted");
        Assert.Equal(ConfigUpdateFailureReason.ConnectionFailure, Assert.Single(callbacks.Failures).Reason);

        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => stats.UpdateFailure.Value == 2, "timeout counted");
        release.SetResult();

        subscription.UpdateResourceInterest([]);
        await WaitUntil(() => stats.UpdateSuccess.Value == 1, "update after failures");
        Assert.Equal("v1", Assert.Single(callbacks.Updates).Version);
    }

    [Fact]
    public async Task UnreachableServerCountsUpdateFailure()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dead = new Cluster { Name = "dead_cluster", Type = Cluster.Types.DiscoveryType.Static, LoadAssignment = new() { ClusterName = "dead_cluster" } };
        dead.LoadAssignment.Endpoints.Add(new Envoy.Config.Endpoint.V3.LocalityLbEndpoints
        {
            LbEndpoints =
            {
                new Envoy.Config.Endpoint.V3.LbEndpoint
                {
                    Endpoint = new() { Address = new() { SocketAddress = new() { Address = "127.0.0.1", PortValue = (uint)closedPort } } },
                },
            },
        });
        _server.ClusterManager.AddOrUpdateCluster(dead, "static_resources.clusters[1]");

        var (_, callbacks, stats) = Subscribe(Rest("dead_cluster"));
        await WaitUntil(() => stats.UpdateFailure.Value >= 1, "connection failure");
        Assert.Empty(callbacks.Updates);
        Assert.Equal(ConfigUpdateFailureReason.ConnectionFailure, callbacks.Failures[0].Reason);
    }

    [Fact]
    public async Task NamedSubscription_SendsItsNames_GetsOnlyThem_AndInterestChangesPollAtOnce()
    {
        _xds.Responder = (_, request) =>
        {
            var response = new DiscoveryResponse { VersionInfo = "e1", TypeUrl = ClaType };
            foreach (var name in new[] { "web", "other" })
            {
                response.Resources.Add(Any.Pack(new Envoy.Config.Endpoint.V3.ClusterLoadAssignment { ClusterName = name }));
            }
            return Task.FromResult((200, RestXdsServer.Json(response)));
        };
        var (subscription, callbacks, stats) = Subscribe(Rest(), ClaType, "test.eds", "web");
        await WaitUntil(() => stats.UpdateSuccess.Value == 1, "first update");
        Assert.Equal("/v3/discovery:endpoints", Request(0).Path);
        Assert.Equal(["web"], Request(0).Request.ResourceNames);
        Assert.Equal(["web"], Assert.Single(callbacks.Updates).Names);

        subscription.UpdateResourceInterest(["web", "other"]);
        await WaitUntil(() => stats.UpdateSuccess.Value == 2, "poll for the new names");
        Assert.Equal(["other", "web"], Request(1).Request.ResourceNames);
        Assert.Equal(["other", "web"], callbacks.Updates[1].Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PollsEveryRefreshDelay()
    {
        _xds.Responder = (_, _) => Task.FromResult((304, string.Empty));
        var (_, _, stats) = Subscribe(Rest(refresh: TimeSpan.FromMilliseconds(50)));
        await WaitUntil(() => stats.UpdateAttempt.Value >= 3, "three polls");
    }

    [Fact]
    public async Task DisposeStopsThePollLoop()
    {
        _xds.Responder = (_, _) => Task.FromResult((304, string.Empty));
        var callbacks = new RecordingCallbacks();
        var stats = new SubscriptionStats(_server.Stats.Scope("test.direct"));
        var client = new Legate.Xds.Rest.RestDiscoveryClient(_server.ClusterManager, "xds_cluster", "/v3/discovery:clusters", TimeSpan.FromSeconds(5));
        var subscription = new Legate.Xds.Rest.RestSubscription(client, ClusterType, new Node(), TimeSpan.FromMilliseconds(10), callbacks, stats,
            NullLogger.Instance, TimeProvider.System, new ConfigLoadOptions { AllowUnknownFields = true });
        subscription.Start([]);
        await WaitUntil(() => stats.UpdateAttempt.Value >= 2, "two polls");

        subscription.Dispose();
        await subscription.Stopped.WaitAsync(TimeSpan.FromSeconds(10));
        var attempts = stats.UpdateAttempt.Value;
        subscription.UpdateResourceInterest(["ignored"]);
        Assert.Equal(attempts, stats.UpdateAttempt.Value);
        Assert.True(subscription.Stopped.IsCompletedSuccessfully);
    }

    private sealed class RecordingCallbacks : ISubscriptionCallbacks
    {
        public List<(string Version, List<string> Names)> Updates { get; } = [];

        public List<(ConfigUpdateFailureReason Reason, Exception? Error)> Failures { get; } = [];

        public string? RejectNext { get; set; }

        public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
        {
            if (RejectNext is { } reason)
            {
                RejectNext = null;
                throw new ConfigException(reason.Split(':')[0], reason.Split(':')[1].Trim());
            }
            var names = new List<string>();
            foreach (var r in resources)
            {
                names.Add(r.Name);
            }
            Updates.Add((versionInfo, names));
        }

        public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo) =>
            throw new NotSupportedException();

        public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error) => Failures.Add((reason, error));
    }
}
