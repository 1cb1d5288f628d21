using System.Text.Json;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Legate.Tests.Admin;

namespace Legate.Tests.Tls;

/// <summary>/config_dump's SecretsConfigDump: dynamic secrets from SDS, with private keys redacted.</summary>
public sealed class SecretsConfigDumpTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "legate-sds-dump-" + Guid.NewGuid().ToString("N"));

    public SecretsConfigDumpTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DynamicActiveSecretsAreDumpedRedacted()
    {
        await using var harness = await AdminHarness.StartAsync();
        var path = Path.Combine(_dir, "sds.yaml");
        File.WriteAllText(path, SecretManagerTests.SecretFile("v7", "server_cert", "TOP-SECRET-KEY"));
        using var provider = harness.Server.Context.Secrets.Subscribe(
            new SdsSecretConfig { Name = "server_cert", SdsConfig = new ConfigSource { PathConfigSource = new PathConfigSource { Path = path } } }, "test");

        var (status, body, _) = await harness.GetAsync("/config_dump?resource=dynamic_active_secrets");
        Assert.Equal(200, status);
        Assert.DoesNotContain("TOP-SECRET-KEY", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var secret = Assert.Single(json.RootElement.GetProperty("configs").EnumerateArray());
        Assert.Equal("type.googleapis.com/envoy.admin.v3.SecretsConfigDump.DynamicSecret", secret.GetProperty("@type").GetString());
        Assert.Equal("server_cert", secret.GetProperty("name").GetString());
        Assert.Equal("v7", secret.GetProperty("version_info").GetString());
        Assert.True(secret.TryGetProperty("last_updated", out _));
        var certificate = secret.GetProperty("secret").GetProperty("tls_certificate");
        Assert.Equal("[redacted]", certificate.GetProperty("private_key").GetProperty("inline_string").GetString());
        Assert.Equal("CERT", certificate.GetProperty("certificate_chain").GetProperty("inline_string").GetString());

        // The whole dump has the Secrets dump last, with nothing warming.
        var (_, all, _) = await harness.GetAsync("/config_dump");
        using var full = JsonDocument.Parse(all);
        var secrets = full.RootElement.GetProperty("configs").EnumerateArray().Last();
        Assert.Equal("type.googleapis.com/envoy.admin.v3.SecretsConfigDump", secrets.GetProperty("@type").GetString());
        Assert.Single(secrets.GetProperty("dynamic_active_secrets").EnumerateArray());
        Assert.False(secrets.TryGetProperty("dynamic_warming_secrets", out _));
        Assert.DoesNotContain("TOP-SECRET-KEY", all, StringComparison.Ordinal);
    }
}
