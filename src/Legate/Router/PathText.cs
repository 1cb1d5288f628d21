namespace Legate.Router;

/// <summary>Small helpers on raw :path values.</summary>
internal static class PathText
{
    /// <summary>Length of the path before the query string or fragment (Envoy's removeQueryAndFragment).</summary>
    public static int PathLength(string path)
    {
        var index = path.AsSpan().IndexOfAny('?', '#');
        return index < 0 ? path.Length : index;
    }

    /// <summary>The query string without '?' and without the fragment; empty when there is none.</summary>
    public static ReadOnlySpan<char> Query(string path)
    {
        var start = path.IndexOf('?');
        if (start < 0)
        {
            return ReadOnlySpan<char>.Empty;
        }
        var query = path.AsSpan(start + 1);
        var fragment = query.IndexOf('#');
        return fragment < 0 ? query : query[..fragment];
    }

    /// <summary>Envoy's getPortStart: index of the ':' before a numeric port, or -1 (IPv6 literals keep their colons).</summary>
    public static int PortStart(ReadOnlySpan<char> host)
    {
        var colon = host.LastIndexOf(':');
        if (colon < 0)
        {
            return -1;
        }
        var bracket = host.LastIndexOf(']');
        if (bracket >= 0 && bracket > colon)
        {
            return -1;
        }
        var port = host[(colon + 1)..];
        if (port.IsEmpty)
        {
            return -1;
        }
        foreach (var c in port)
        {
            if (c < '0' || c > '9')
            {
                return -1;
            }
        }
        return colon;
    }
}
