namespace Legate.Server;

/// <summary>--local-address-ip-version: the address family of the server's local address.</summary>
public enum IpVersion
{
    V4,
    V6,
}
