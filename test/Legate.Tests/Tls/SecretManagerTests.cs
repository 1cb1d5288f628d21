using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Server;
using Legate.Stats;
using Legate.Tls;
using Microsoft.Extensions.Logging.Abstractions;
using static Legate.Tests.Polling;

namespace Legate.Tests.Tls;

public sealed class SecretManagerTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "legate-sds-" + Guid.NewGuid().ToString("N"));
    private LegateServer _server = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var bootstrap = ConfigLoader.LoadBootstrap(null, "node: { id: node-1 }\n", ConfigLoadOptions.Strict);
        _server = new LegateServer(bootstrap, new ServerRuntimeOptions { Concurrency = 1 }, NullLoggerFactory.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SecretManager Secrets => _server.Context.Secrets;

    internal static string SecretFile(string version, string name, string key) => "version_info: \"" + version + "\"\nresources:\n"
        + "- \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret\n  name: " + name + "\n"
        + "  tls_certificate:\n    certificate_chain: { inline_string: \"CERT\" }\n    private_key: { inline_string: \"" + key + "\" }\n";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        var staged = path + ".tmp";
        File.WriteAllText(staged, content);
        File.Move(staged, path, overwrite: true);
        return path;
    }

    private static SdsSecretConfig FromFile(string name, string path) =>
        new() { Name = name, SdsConfig = new ConfigSource { PathConfigSource = new PathConfigSource { Path = path } } };

    private static Secret Generic(string name, string value) =>
        new() { Name = name, GenericSecret = new GenericSecret { Secret = new DataSource { InlineString = value } } };

    [Fact]
    public void StaticSecrets_ResolveByName_WithoutSdsConfig()
    {
        using var secrets = new SecretManager(new StatsStore(), NullLoggerFactory.Instance);
        secrets.AddStaticSecrets([Generic("a", "1"), Generic("b", "2")], "static_resources.secrets");

        using var provider = secrets.Subscribe(new SdsSecretConfig { Name = "b" }, "tls.sds");
        Assert.Equal("2", provider.Current!.GenericSecret.Secret.InlineString);
        Assert.True(provider.Init.IsReady);
        Assert.Equal(["a", "b"], secrets.StaticSecrets.Select(s => s.Name));
        Assert.Equal("1", secrets.FindStaticSecret("a")!.GenericSecret.Secret.InlineString);
        Assert.Empty(secrets.DynamicSecrets);
    }

    [Fact]
    public void StaticSecretErrorsNameTheField()
    {
        using var secrets = new SecretManager(new StatsStore(), NullLoggerFactory.Instance);
        var duplicate = Assert.Throws<ConfigException>(() => secrets.AddStaticSecrets([Generic("a", "1"), Generic("a", "2")], "static_resources.secrets"));
        Assert.Equal("static_resources.secrets[1].name", duplicate.FieldPath);
        Assert.Empty(secrets.StaticSecrets);
        var unnamed = Assert.Throws<ConfigException>(() => secrets.AddStaticSecrets([new Secret()], "static_resources.secrets"));
        Assert.Equal("static_resources.secrets[0].name", unnamed.FieldPath);

        var unknown = Assert.Throws<ConfigException>(() => secrets.Subscribe(new SdsSecretConfig { Name = "nope" }, "common_tls_context.tls_certificate_sds_secret_configs[0]"));
        Assert.Equal("common_tls_context.tls_certificate_sds_secret_configs[0].name", unknown.FieldPath);
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("x.name", Assert.Throws<ConfigException>(() => secrets.Subscribe(new SdsSecretConfig(), "x")).FieldPath);
    }

    [Fact]
    public void SdsWithoutSubscriptionsIsAConfigError()
    {
        using var secrets = new SecretManager(new StatsStore(), NullLoggerFactory.Instance);
        var e = Assert.Throws<ConfigException>(() => secrets.Subscribe(FromFile("a", "/nonexistent"), "x"));
        Assert.Equal("x.sds_config", e.FieldPath);
    }

    [Fact]
    public void SdsFromAFile_DeliversTheSecret_WithStatsUnderSdsName()
    {
        var path = Write("sds.yaml", SecretFile("s1", "server_cert", "KEY1"));
        using var provider = Secrets.Subscribe(FromFile("server_cert", path), "tls");

        Assert.Equal("KEY1", provider.Current!.TlsCertificate.PrivateKey.InlineString);
        Assert.Equal("s1", provider.VersionInfo);
        Assert.True(provider.Init.IsReady);
        Assert.Equal(1, _server.Stats.Counter("sds.server_cert.update_success").Value);
        Assert.Equal("s1", _server.Stats.TextReadout("sds.server_cert.version_text").Value);
        var dynamic = Assert.Single(Secrets.DynamicSecrets);
        Assert.Equal("server_cert", dynamic.Name);
        Assert.NotNull(dynamic.LastUpdated);
    }

    [Fact]
    public async Task SdsFileUpdate_RaisesChanged_AndABadUpdateKeepsTheOldSecret()
    {
        var path = Write("sds.yaml", SecretFile("s1", "server_cert", "KEY1"));
        using var provider = Secrets.Subscribe(FromFile("server_cert", path), "tls");
        var changes = new List<Secret>();
        provider.Changed += s =>
        {
            lock (changes)
            {
                changes.Add(s);
            }
        };

        Write("sds.yaml", SecretFile("s2", "server_cert", "KEY2"));
        await WaitUntil(() => provider.VersionInfo == "s2", "second version");
        lock (changes)
        {
            Assert.Equal("KEY2", Assert.Single(changes).TlsCertificate.PrivateKey.InlineString);
        }

        // A file without this secret is rejected; the secret in use stays.
        Write("sds.yaml", SecretFile("s3", "other_cert", "KEY3"));
        await WaitUntil(() => _server.Stats.Counter("sds.server_cert.update_rejected").Value == 1, "rejection");
        Assert.Equal("KEY2", provider.Current!.TlsCertificate.PrivateKey.InlineString);
        Assert.Equal("s2", provider.VersionInfo);

        // The same secret under a new version is accepted without a change event.
        Write("sds.yaml", SecretFile("s4", "server_cert", "KEY2"));
        await WaitUntil(() => provider.VersionInfo == "s4", "same secret, new version");
        lock (changes)
        {
            Assert.Single(changes);
        }
    }

    [Fact]
    public void ProvidersAreSharedPerConfigSourceAndName_AndReleasedByTheLastUser()
    {
        var path = Write("sds.yaml", SecretFile("s1", "server_cert", "KEY1"));
        var first = Secrets.Subscribe(FromFile("server_cert", path), "a");
        var second = Secrets.Subscribe(FromFile("server_cert", path), "b");
        Assert.Single(Secrets.DynamicSecrets);
        Assert.Equal(1, _server.Stats.Counter("sds.server_cert.update_success").Value);

        first.Dispose();
        Assert.Single(Secrets.DynamicSecrets);
        second.Dispose();
        Assert.Empty(Secrets.DynamicSecrets);
        second.Dispose();
    }

    [Fact]
    public void AnUnreachableSourceLeavesTheSecretWarming()
    {
        var yaml = "static_resources:\n  clusters:\n  - name: sds_cluster\n    type: STATIC\n    load_assignment: { cluster_name: sds_cluster, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 1 } } } }] }] }\n";
        var bootstrap = ConfigLoader.LoadBootstrap(null, yaml, ConfigLoadOptions.Strict);
        _server.ClusterManager.AddOrUpdateCluster(bootstrap.StaticResources.Clusters[0], "static_resources.clusters[0]");
        var api = new ApiConfigSource { ApiType = ApiConfigSource.Types.ApiType.Rest, RefreshDelay = Duration.FromTimeSpan(TimeSpan.FromHours(1)) };
        api.ClusterNames.Add("sds_cluster");
        using var provider = Secrets.Subscribe(new SdsSecretConfig { Name = "later", SdsConfig = new ConfigSource { ApiConfigSource = api } }, "tls");

        Assert.Null(provider.Current);
        var warming = Assert.Single(Secrets.DynamicSecrets);
        Assert.Null(warming.Current);
        Assert.Null(warming.LastUpdated);
    }
}
