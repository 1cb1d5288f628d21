using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Legate.Formatting;
using Legate.Router;
using Microsoft.AspNetCore.Http;

namespace Legate.Benchmarks;

/// <summary>Builds route tables the way the connection manager does, from generated RouteConfiguration protos.</summary>
internal static class RouteTables
{
    public static readonly RouteBuildContext BuildContext = new()
    {
        Formatter = format => SubstitutionFormatter.Parse(format, "bench", omitEmptyValues: true),
    };

    /// <summary>One catch-all virtual host with <paramref name="count"/> routes; only the last matches "/r{count-1}/x".</summary>
    public static RouteTable Routes(int count, bool regex)
    {
        var virtualHost = new VirtualHost { Name = "bench", Domains = { "*" } };
        for (var i = 0; i < count; i++)
        {
            var match = regex
                ? new RouteMatch { SafeRegex = new RegexMatcher { Regex = "/r" + i + "/[a-z]+" } }
                : new RouteMatch { Prefix = "/r" + i + "/" };
            virtualHost.Routes.Add(new Route { Match = match, Route_ = new RouteAction { Cluster = "c" + (i % 10) } });
        }
        return RouteTable.Build(new RouteConfiguration { Name = "bench", VirtualHosts = { virtualHost } }, BuildContext, "route_config");
    }

    /// <summary><paramref name="count"/> virtual hosts with exact domains, as many with suffix wildcards, and a default.</summary>
    public static RouteTable VirtualHosts(int count)
    {
        var config = new RouteConfiguration { Name = "bench" };
        for (var i = 0; i < count; i++)
        {
            config.VirtualHosts.Add(VirtualHost("exact" + i, "vh" + i + ".bench.local"));
            config.VirtualHosts.Add(VirtualHost("suffix" + i, "*.wild" + i + ".bench.local"));
        }
        config.VirtualHosts.Add(VirtualHost("default", "*"));
        return RouteTable.Build(config, BuildContext, "route_config");
    }

    public static RouteRequest Request(string path, string authority = "bench.local") => new()
    {
        Authority = authority,
        Path = path,
        Method = "GET",
        Scheme = "http",
        Headers = new HeaderDictionary { ["user-agent"] = "wrk", ["accept"] = "*/*" },
    };

    private static VirtualHost VirtualHost(string name, string domain) => new()
    {
        Name = name,
        Domains = { domain },
        Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = "c" } } },
    };
}
