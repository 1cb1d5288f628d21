using Legate.Config;

namespace Legate.Router;

/// <summary>
/// Domain → virtual host lookup, compiled like Envoy's RouteMatcher: an exact-domain dictionary,
/// suffix wildcards (`*.foo.com`) and prefix wildcards (`foo.*`) grouped by length and probed longest
/// first, then the single `*`. Lookups read spans and never allocate.
/// </summary>
internal sealed class VirtualHostMap
{
    private const int StackLowerCaseLimit = 256;

    private readonly Dictionary<string, VirtualHostEntry> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VirtualHostEntry>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly WildcardGroup[] _suffixes;
    private readonly WildcardGroup[] _prefixes;
    private readonly VirtualHostEntry? _default;
    private readonly bool _ignorePort;

    public VirtualHostMap(IReadOnlyList<VirtualHostEntry> virtualHosts, string routeConfigName, bool ignorePort, string virtualHostsPath)
    {
        _ignorePort = ignorePort;
        var suffixes = new SortedDictionary<int, Dictionary<string, VirtualHostEntry>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var prefixes = new SortedDictionary<int, Dictionary<string, VirtualHostEntry>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        for (var v = 0; v < virtualHosts.Count; v++)
        {
            var virtualHost = virtualHosts[v];
            var domains = virtualHost.Config.Domains;
            for (var d = 0; d < domains.Count; d++)
            {
                var domain = domains[d].ToLowerInvariant();
                var domainPath = ConfigPath.Index(ConfigPath.Join(ConfigPath.Index(virtualHostsPath, v), "domains"), d);
                bool added;
                if (domain == "*")
                {
                    if (_default is not null)
                    {
                        throw new ConfigException(domainPath, "Only a single wildcard domain is permitted in route " + routeConfigName);
                    }
                    _default = virtualHost;
                    added = true;
                }
                else if (domain.Length > 0 && domain[0] == '*')
                {
                    added = Group(suffixes, domain.Length - 1).TryAdd(domain[1..], virtualHost);
                }
                else if (domain.Length > 0 && domain[^1] == '*')
                {
                    added = Group(prefixes, domain.Length - 1).TryAdd(domain[..^1], virtualHost);
                }
                else
                {
                    added = _exact.TryAdd(domain, virtualHost);
                }
                if (!added)
                {
                    throw new ConfigException(domainPath,
                        "Only unique values for domains are permitted. Duplicate entry of domain " + domain + " in route " + routeConfigName);
                }
            }
        }
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _suffixes = ToGroups(suffixes);
        _prefixes = ToGroups(prefixes);
    }

    public VirtualHostEntry? Find(string? authority)
    {
        // Only "*": no need to look at the host at all (Envoy's fast path, even without a host).
        if (_exact.Count == 0 && _suffixes.Length == 0 && _prefixes.Length == 0)
        {
            return _default;
        }
        if (authority is null)
        {
            return null;
        }
        ReadOnlySpan<char> host = authority;
        if (_ignorePort)
        {
            var portStart = PathText.PortStart(host);
            if (portStart >= 0)
            {
                host = host[..portStart];
            }
        }
        if (HasUpperCase(host))
        {
            Span<char> lower = host.Length <= StackLowerCaseLimit ? stackalloc char[host.Length] : new char[host.Length];
            host.ToLowerInvariant(lower);
            return FindLowerCase(lower);
        }
        return FindLowerCase(host);
    }

    // Hand-rolled: MemoryExtensions.ContainsAnyInRange allocated on this path when measured.
    private static bool HasUpperCase(ReadOnlySpan<char> host)
    {
        foreach (var c in host)
        {
            if ((uint)(c - 'A') <= 'Z' - 'A')
            {
                return true;
            }
        }
        return false;
    }

    private VirtualHostEntry? FindLowerCase(ReadOnlySpan<char> host)
    {
        if (_exactLookup.TryGetValue(host, out var exact))
        {
            return exact;
        }
        foreach (var group in _suffixes)
        {
            // '>=' because "*.foo.com" must not match ".foo.com": the '*' stands for at least one character.
            if (group.Length < host.Length && group.Lookup.TryGetValue(host[^group.Length..], out var suffix))
            {
                return suffix;
            }
        }
        foreach (var group in _prefixes)
        {
            if (group.Length < host.Length && group.Lookup.TryGetValue(host[..group.Length], out var prefix))
            {
                return prefix;
            }
        }
        return _default;
    }

    private static Dictionary<string, VirtualHostEntry> Group(SortedDictionary<int, Dictionary<string, VirtualHostEntry>> groups, int length)
    {
        if (!groups.TryGetValue(length, out var group))
        {
            group = new Dictionary<string, VirtualHostEntry>(StringComparer.Ordinal);
            groups.Add(length, group);
        }
        return group;
    }

    private static WildcardGroup[] ToGroups(SortedDictionary<int, Dictionary<string, VirtualHostEntry>> groups)
    {
        var result = new WildcardGroup[groups.Count];
        var i = 0;
        foreach (var (length, dictionary) in groups)
        {
            result[i++] = new WildcardGroup(length, dictionary.GetAlternateLookup<ReadOnlySpan<char>>());
        }
        return result;
    }

    private readonly record struct WildcardGroup(int Length, Dictionary<string, VirtualHostEntry>.AlternateLookup<ReadOnlySpan<char>> Lookup);
}
