using System.Net;
using Legate.Config;
using Legate.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Legate.IntegrationTests.Support;

/// <summary>An in-process <see cref="LegateServer"/> started from YAML, with clients aimed at <c>listener_0</c>.</summary>
public sealed class LegateHost : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private LegateHost(LegateServer server)
    {
        Server = server;
    }

    public LegateServer Server { get; }

    public int Port => PortOf("listener_0");

    /// <summary><c>http://127.0.0.1:port</c> of listener_0.</summary>
    public Uri BaseUri => new("http://127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static async Task<LegateHost> StartAsync(string yaml, TimeSpan? drainTime = null, TimeSpan? fileFlushInterval = null,
        Legate.Extensions.ExtensionRegistry? extensions = null)
    {
        var bootstrap = ConfigLoader.LoadBootstrap(null, yaml, ConfigLoadOptions.Strict);
        var server = new LegateServer(
            bootstrap,
            new ServerRuntimeOptions
            {
                DrainTime = drainTime ?? TimeSpan.FromSeconds(1),
                Concurrency = 2,
                FileFlushInterval = fileFlushInterval ?? TimeSpan.FromSeconds(10),
                Extensions = extensions,
            },
            NullLoggerFactory.Instance);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return new LegateHost(server);
    }

    public int PortOf(string listener)
    {
        var active = Server.ListenerManager.Get(listener) ?? throw new InvalidOperationException("no listener " + listener);
        var endPoint = active.BoundEndPoint ?? throw new InvalidOperationException("listener " + listener + " is not bound");
        return endPoint.Port;
    }

    public long Counter(string name) => Server.Stats.Counter(name).Value;

    /// <summary>Every counter with a non-zero value, for failure messages.</summary>
    public string NonZeroCounters()
    {
        var lines = new List<string>();
        foreach (var counter in Server.Stats.Counters)
        {
            if (counter.Value != 0)
            {
                lines.Add(counter.Name + ": " + counter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    /// <summary>Polls a counter until it reaches <paramref name="expected"/> (stats may be bumped just after the response is sent), then asserts the exact value.</summary>
    public async Task AssertCounterAsync(string name, long expected)
    {
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Counter(name) != expected && DateTime.UtcNow < end)
        {
            await Task.Delay(20);
        }
        var actual = Counter(name);
        Assert.True(actual == expected, $"{name} = {actual}, expected {expected}. Non-zero counters:\n{NonZeroCounters()}");
    }

    /// <summary>An HTTP/1.1 client (or HTTP/2 prior knowledge when <paramref name="version"/> is 2.0) that never follows redirects.</summary>
    public HttpClient CreateClient(Version? version = null, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = BaseUri,
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        try
        {
            await Server.ShutdownAsync(TimeSpan.FromSeconds(1));
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
