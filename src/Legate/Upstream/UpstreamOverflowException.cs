namespace Legate.Upstream;

/// <summary>
/// A circuit breaker refused the request (max_pending_requests reached while it would have waited for a
/// connection): Envoy's "overflow" reset, answered with 503 UO and never retried.
/// </summary>
public sealed class UpstreamOverflowException(string message) : Exception(message)
{
}
