namespace Legate.IntegrationTests.Support;

/// <summary>One echo upstream and one Legate in front of it, shared by the tests of a class.</summary>
public abstract class EchoProxyFixture : IAsyncLifetime
{
    public TestUpstream Upstream { get; private set; } = null!;

    public LegateHost Legate { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await TestUpstream.StartAsync("echo");
        Legate = await StartLegateAsync(Upstream);
        Client = Legate.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Legate.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>Starts the proxy with the class's config, its clusters pointing at <paramref name="upstream"/>.</summary>
    protected abstract Task<LegateHost> StartLegateAsync(TestUpstream upstream);
}
