using Envoy.Extensions.TransportSockets.Tls.V3;
using Legate.Xds;

namespace Legate.Tls;

/// <summary>
/// One secret as a TLS context will use it: a static secret from the bootstrap, or an SDS secret that
/// may change at runtime. Dispose releases the caller's interest (the last release stops the SDS subscription).
/// </summary>
public interface ISecretProvider : IDisposable
{
    /// <summary>The secret's name (SdsSecretConfig.name).</summary>
    string Name { get; }

    /// <summary>The current secret; null until SDS delivers it (the secret is warming).</summary>
    Secret? Current { get; }

    /// <summary>version_info of the update that delivered <see cref="Current"/> (empty for static secrets).</summary>
    string VersionInfo { get; }

    /// <summary>Ready when the secret first arrived, was rejected, or its initial fetch timed out.</summary>
    InitTarget Init { get; }

    /// <summary>
    /// Raised after a new secret replaced <see cref="Current"/> (never for static secrets, nor for an update
    /// that repeats the same secret). A <see cref="Config.ConfigException"/> thrown by a handler is reported
    /// as the update's rejection (update_rejected, NACK), although the secret has already been applied.
    /// </summary>
    event Action<Secret>? Changed;
}
