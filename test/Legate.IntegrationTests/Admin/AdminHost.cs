using System.Globalization;
using System.Net;
using Legate.Admin;
using Legate.Config;
using Legate.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.IntegrationTests.Admin;

/// <summary>
/// An in-process LegateServer started from YAML plus its AdminServer (the bootstrap's admin address, port 0),
/// with an HTTP/1.1 client for <c>listener_0</c> and one for the admin port — all over real sockets.
/// </summary>
internal sealed class AdminHost : IAsyncDisposable
{
    public const string AdminYaml = """
        admin:
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }

        """;

    private AdminHost(LegateServer server, AdminServer admin)
    {
        Server = server;
        Admin = admin;
        AdminClient = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri("http://" + AdminServer.FormatAddress(admin.BoundEndPoint!)),
        };
        var port = server.ListenerManager.Get("listener_0")?.BoundEndPoint?.Port ?? 0;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)),
            DefaultRequestVersion = HttpVersion.Version11,
        };
    }

    public LegateServer Server { get; }

    public AdminServer Admin { get; }

    /// <summary>Talks to the admin port.</summary>
    public HttpClient AdminClient { get; }

    /// <summary>Talks to listener_0.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the server from <paramref name="yaml"/> (the admin block is prepended unless present).</summary>
    public static async Task<AdminHost> StartAsync(string yaml, ServerOptions? commandLine = null, Legate.Logging.EnvoyLoggerProvider? logging = null)
    {
        if (!yaml.Contains("admin:", StringComparison.Ordinal))
        {
            yaml = AdminYaml + yaml;
        }
        var bootstrap = ConfigLoader.LoadBootstrap(null, yaml, ConfigLoadOptions.Strict);
        var server = new LegateServer(bootstrap, new ServerRuntimeOptions { Concurrency = 2, DrainTime = TimeSpan.FromSeconds(1) }, NullLoggerFactory.Instance);
        var admin = new AdminServer(server, bootstrap.Admin, new AdminOptions { CommandLine = commandLine, Logging = logging });
        try
        {
            await admin.StartAsync(CancellationToken.None);
            await server.StartAsync();
        }
        catch
        {
            await admin.DisposeAsync();
            await server.DisposeAsync();
            throw;
        }
        return new AdminHost(server, admin);
    }

    public async Task<(int Status, string Body, string ContentType)> GetAsync(string pathAndQuery)
    {
        using var response = await AdminClient.GetAsync(pathAndQuery);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString() ?? string.Empty);
    }

    public async Task<(int Status, string Body)> PostAsync(string pathAndQuery)
    {
        using var response = await AdminClient.PostAsync(pathAndQuery, null);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="count"/> sequential GETs through listener_0 and asserts each is a 200.</summary>
    public async Task SendAsync(int count, string path = "/")
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Polls /stats until the counter reaches <paramref name="expected"/> (stats are bumped as the response completes).</summary>
    public async Task WaitForCounterAsync(string name, long expected)
    {
        var counter = Server.Stats.Counter(name);
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (counter.Value < expected && DateTime.UtcNow < end)
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        AdminClient.Dispose();
        await Admin.DisposeAsync();
        try
        {
            await Server.ShutdownAsync(TimeSpan.Zero);
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
