using Envoy.Extensions.TransportSockets.Tls.V3;
using Legate.Xds;

namespace Legate.Tls;

/// <summary>
/// One user's view of a shared <see cref="SdsSecretProvider"/>. Disposing it removes the handlers this
/// user added and releases its reference; the last release stops the SDS subscription.
/// </summary>
internal sealed class SdsSecretHandle : ISecretProvider
{
    private readonly SdsSecretProvider _shared;
    private readonly SecretManager _owner;
    private readonly Lock _gate = new();
    private readonly List<Action<Secret>> _handlers = [];
    private bool _disposed;

    public SdsSecretHandle(SdsSecretProvider shared, SecretManager owner)
    {
        _shared = shared;
        _owner = owner;
    }

    public string Name => _shared.Name;

    public Secret? Current => _shared.Current;

    public string VersionInfo => _shared.VersionInfo;

    public InitTarget Init => _shared.Init;

    public event Action<Secret>? Changed
    {
        add
        {
            if (value is null)
            {
                return;
            }
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _handlers.Add(value);
                _shared.Changed += value;
            }
        }
        remove
        {
            if (value is null)
            {
                return;
            }
            lock (_gate)
            {
                if (_handlers.Remove(value))
                {
                    _shared.Changed -= value;
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (var handler in _handlers)
            {
                _shared.Changed -= handler;
            }
            _handlers.Clear();
        }
        _owner.Release(_shared);
    }
}
