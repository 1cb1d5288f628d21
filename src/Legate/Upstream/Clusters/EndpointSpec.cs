using System.Net;
using Envoy.Config.Core.V3;

namespace Legate.Upstream.Clusters;

/// <summary>
/// One lb_endpoint of a load_assignment before its address is resolved: an IP literal (STATIC, EDS)
/// or a DNS name (STRICT_DNS, LOGICAL_DNS), plus what it says about the host.
/// </summary>
internal readonly record struct EndpointSpec(
    string Address,
    int Port,
    string AddressPath,
    string Hostname,
    uint Weight,
    uint Priority,
    Locality? Locality,
    uint? LocalityWeight,
    HealthStatus HealthStatus,
    Metadata? Metadata)
{
    public HostDescription ToHost(IPAddress address, string? identityKey = null) =>
        new(new IPEndPoint(address, Port), Hostname, Weight, Priority, Locality, LocalityWeight, HealthStatus, Metadata, identityKey);
}
