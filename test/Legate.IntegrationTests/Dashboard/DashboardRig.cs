using Legate.Admin;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Dashboard;

/// <summary>
/// A Legate server with an admin server, two echo upstreams in cluster <c>echo</c> and a cluster <c>dead</c>
/// whose only host refuses connections: <c>/api/*</c> answers 200, <c>/legacy/*</c> 503, anything else 404.
/// </summary>
internal sealed class DashboardRig : IAsyncDisposable
{
    private readonly TestUpstream _first;
    private readonly TestUpstream _second;

    private DashboardRig(TestUpstream first, TestUpstream second, LegateHost legate, AdminServer admin)
    {
        _first = first;
        _second = second;
        Legate = legate;
        Admin = admin;
        Client = legate.CreateClient(timeout: TimeSpan.FromSeconds(10));
    }

    public LegateHost Legate { get; }

    public AdminServer Admin { get; }

    public HttpClient Client { get; }

    /// <summary>http://127.0.0.1:port of the admin listener (after <see cref="StartAdminAsync"/>).</summary>
    public string AdminBase => "http://" + AdminServer.FormatAddress(Admin.BoundEndPoint!);

    public static async Task<DashboardRig> StartAsync()
    {
        var first = await TestUpstream.StartAsync("a");
        var second = await TestUpstream.StartAsync("b");
        var virtualHosts = """
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/api" }
                route: { cluster: echo }
              - match: { prefix: "/legacy" }
                route: { cluster: dead }
            """;
        var yaml = ConfigYaml.Bootstrap(
            virtualHosts,
            [ConfigYaml.StaticCluster("echo", [first.Port, second.Port]), ConfigYaml.StaticCluster("dead", Ports.ReserveAndRelease())],
            statPrefix: "ingress_http")
            + "admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: 0 }\n";
        var legate = await LegateHost.StartAsync(yaml);
        var admin = new AdminServer(legate.Server, legate.Server.Bootstrap.Admin, new AdminOptions());
        return new DashboardRig(first, second, legate, admin);
    }

    /// <summary>Binds the admin listener; this also starts the dashboard's once-a-second sampler.</summary>
    public Task StartAdminAsync() => Admin.StartAsync(CancellationToken.None);

    /// <summary>Sends <paramref name="ok"/> requests answered 200, <paramref name="notFound"/> 404 and <paramref name="failed"/> 503.</summary>
    public async Task SendAsync(int ok, int notFound = 0, int failed = 0)
    {
        for (var i = 0; i < ok; i++)
        {
            using var r = await Client.GetAsync("/api/" + i);
            Assert.Equal(200, (int)r.StatusCode);
        }
        for (var i = 0; i < notFound; i++)
        {
            using var r = await Client.GetAsync("/missing/" + i);
            Assert.Equal(404, (int)r.StatusCode);
        }
        for (var i = 0; i < failed; i++)
        {
            using var r = await Client.GetAsync("/legacy/" + i);
            Assert.Equal(503, (int)r.StatusCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        await Legate.DisposeAsync();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }
}
