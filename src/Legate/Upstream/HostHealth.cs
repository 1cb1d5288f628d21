namespace Legate.Upstream;

/// <summary>
/// How the load balancer treats a host. EDS UNKNOWN and HEALTHY are healthy; UNHEALTHY, DRAINING and
/// TIMEOUT fail EDS health (the host stays a member and still takes panic traffic); DEGRADED is only
/// used when healthy capacity is short; excluded hosts get no traffic and do not count for priority health.
/// </summary>
public enum HostHealth
{
    Healthy,
    Degraded,
    Unhealthy,
    Excluded,
}
