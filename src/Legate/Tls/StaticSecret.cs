using Envoy.Extensions.TransportSockets.Tls.V3;

namespace Legate.Tls;

/// <summary>A secret from the bootstrap's <c>static_resources.secrets</c>.</summary>
public sealed record StaticSecret(string Name, Secret Secret, DateTimeOffset LastUpdated);
