using System.Text;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Legate.Formatting;
using Legate.Router;
using Microsoft.AspNetCore.Http;

namespace Legate.Tests.Router;

/// <summary>Builds route tables from JSON and requests from a few strings.</summary>
internal static class RouteTestSupport
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static RouteConfiguration Parse(string json) => Parser.Parse<RouteConfiguration>(json);

    public static RouteTable Build(string json, Func<string, bool>? clusterExists = null) =>
        RouteTable.Build(Parse(json), new RouteBuildContext { Formatter = TestFormatter.Create, ClusterExists = clusterExists }, "route_config");

    /// <summary>A route config with one catch-all virtual host holding the given routes (JSON array body).</summary>
    public static RouteTable BuildRoutes(string routesJson) =>
        Build("""{"name":"rc","virtual_hosts":[{"name":"vh","domains":["*"],"routes":[""" + routesJson + "]}]}");

    public static RouteRequest Request(string path, string authority = "example.com", string method = "GET", string scheme = "http",
        ulong random = 0, params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }
        return new RouteRequest
        {
            Authority = authority,
            Path = path,
            Method = method,
            Scheme = scheme,
            Headers = dictionary,
            RandomValue = random,
        };
    }
}

/// <summary>
/// A tiny formatter for tests: "%%" is a literal '%', %REQ(name)% reads a request header; anything
/// else is rejected as the real formatter would.
/// </summary>
internal sealed class TestFormatter : ISubstitutionFormatter
{
    private readonly string _format;

    private TestFormatter(string format)
    {
        _format = format;
        IsLiteral = !format.Replace("%%", string.Empty, StringComparison.Ordinal).Contains('%', StringComparison.Ordinal);
    }

    public bool IsLiteral { get; }

    public static ISubstitutionFormatter Create(string format)
    {
        var stripped = format.Replace("%%", string.Empty, StringComparison.Ordinal);
        var index = 0;
        while ((index = stripped.IndexOf('%', index)) >= 0)
        {
            var end = stripped.IndexOf('%', index + 1);
            if (end < 0 || !stripped.AsSpan(index + 1).StartsWith("REQ("))
            {
                throw new Legate.Config.ConfigException(string.Empty, "Not supported field in StreamInfo: " + stripped[(index + 1)..]);
            }
            index = end + 1;
        }
        return new TestFormatter(format);
    }

    public string Format(in FormatContext context)
    {
        var output = new StringBuilder();
        Format(context, output);
        return output.ToString();
    }

    public void Format(in FormatContext context, StringBuilder output)
    {
        for (var i = 0; i < _format.Length; i++)
        {
            if (_format[i] != '%')
            {
                output.Append(_format[i]);
                continue;
            }
            if (_format[i + 1] == '%')
            {
                output.Append('%');
                i++;
                continue;
            }
            var end = _format.IndexOf('%', i + 1);
            var name = _format[(i + 5)..(end - 1)];
            output.Append(context.RequestHeaders?[name].ToString() ?? string.Empty);
            i = end;
        }
    }
}
