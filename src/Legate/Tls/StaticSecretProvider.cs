using Envoy.Extensions.TransportSockets.Tls.V3;
using Legate.Xds;

namespace Legate.Tls;

/// <summary>An SdsSecretConfig with only a name: the bootstrap secret of that name, which never changes.</summary>
internal sealed class StaticSecretProvider : ISecretProvider
{
    private static readonly InitTarget s_ready = CreateReady();

    public StaticSecretProvider(StaticSecret secret)
    {
        Name = secret.Name;
        Current = secret.Secret;
    }

    public string Name { get; }

    public Secret? Current { get; }

    public string VersionInfo => string.Empty;

    public InitTarget Init => s_ready;

    public event Action<Secret>? Changed
    {
        add { }
        remove { }
    }

    public void Dispose()
    {
    }

    private static InitTarget CreateReady()
    {
        var target = new InitTarget("static secret");
        target.Ready();
        return target;
    }
}
