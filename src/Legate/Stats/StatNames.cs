namespace Legate.Stats;

/// <summary>Envoy's stat-name rules for user-provided names and addresses.</summary>
public static class StatNames
{
    /// <summary>Envoy replaces ':' with '_' in names taken from config (addresses, cluster names).</summary>
    public static string Sanitize(string name) => name.Replace(':', '_');

    /// <summary>listener.&lt;ip&gt;_&lt;port&gt; as Envoy builds it from a socket address.</summary>
    public static string ForAddress(System.Net.IPEndPoint endpoint)
    {
        var ip = endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[" + endpoint.Address + "]"
            : endpoint.Address.ToString();
        return Sanitize(ip + ":" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
