using Envoy.Config.Bootstrap.V3;
using Google.Protobuf;
using Legate.Admin;
using Legate.Config;
using Legate.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.Tests.Admin;

/// <summary>A real LegateServer (one HTTP listener, one static cluster) plus its admin server, both on 127.0.0.1:0.</summary>
internal sealed class AdminHarness : IAsyncDisposable
{
    public const int BackendPort = 18080;

    public const string BootstrapJson = """
    {
      "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 0 } } },
      "static_resources": {
        "listeners": [{
          "name": "ingress",
          "address": { "socket_address": { "address": "127.0.0.1", "port_value": 0 } },
          "filter_chains": [{ "filters": [{
            "name": "envoy.filters.network.http_connection_manager",
            "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              "stat_prefix": "ingress",
              "route_config": { "name": "local_route", "virtual_hosts": [{ "name": "all", "domains": ["*"],
                "routes": [{ "match": { "prefix": "/" }, "route": { "cluster": "backend" } }] }] },
              "http_filters": [{ "name": "envoy.filters.http.router",
                "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } }]
            }
          }] }]
        }],
        "clusters": [{
          "name": "backend",
          "type": "STATIC",
          "connect_timeout": "1s",
          "load_assignment": { "cluster_name": "backend", "endpoints": [{ "lb_endpoints": [{
            "endpoint": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 18080 } } } }] }] }
        }]
      }
    }
    """;

    private AdminHarness(LegateServer server, AdminServer admin)
    {
        Server = server;
        Admin = admin;
        Client = new HttpClient { BaseAddress = new Uri("http://" + AdminServer.FormatAddress(admin.BoundEndPoint!)) };
    }

    public LegateServer Server { get; }

    public AdminServer Admin { get; }

    public HttpClient Client { get; }

    public static Bootstrap ParseBootstrap() =>
        new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(ApiTypes.Registry)).Parse<Bootstrap>(BootstrapJson);

    public static async Task<AdminHarness> StartAsync(AdminOptions? options = null)
    {
        var bootstrap = ParseBootstrap();
        var server = new LegateServer(bootstrap, new ServerRuntimeOptions { Concurrency = 1, DrainTime = TimeSpan.Zero }, NullLoggerFactory.Instance);
        var admin = new AdminServer(server, bootstrap.Admin, options ?? new AdminOptions());
        await admin.StartAsync(CancellationToken.None);
        await server.StartAsync();
        return new AdminHarness(server, admin);
    }

    public async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<(int Status, string Body)> PostAsync(string path)
    {
        var response = await Client.PostAsync(path, null);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Admin.DisposeAsync();
        await Server.ShutdownAsync(TimeSpan.Zero);
        await Server.DisposeAsync();
    }
}
