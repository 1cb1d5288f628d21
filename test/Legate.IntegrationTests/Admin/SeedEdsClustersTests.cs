using System.Diagnostics;
using System.Globalization;
using Legate.IntegrationTests.Support;
using Legate.IntegrationTests.Xds;

namespace Legate.IntegrationTests.Admin;

/// <summary>
/// The seed's eds-filesystem transcript, on loopback: <c>curl :9091/clusters</c> prints the seed's lines in the
/// seed's order, with counts that match the requests sent, before and after the second endpoint arrives.
/// </summary>
public sealed class SeedEdsClustersTests
{
    private static readonly string[] s_hostKeys =
    [
        "cx_active", "cx_connect_fail", "cx_total", "rq_active", "rq_error", "rq_success", "rq_timeout", "rq_total",
        "hostname", "health_flags", "weight", "region", "zone", "sub_zone", "canary", "priority", "success_rate",
        "local_origin_success_rate",
    ];

    [Fact]
    public async Task Clusters_lists_the_seed_lines_in_order_with_matching_counts()
    {
        await using var web1 = await TestUpstream.StartAsync("webserver1");
        await using var web2 = await TestUpstream.StartAsync("webserver2");
        using var dir = new TempDir();
        var edsPath = dir.Write("eds.yaml", Eds(web1.Port));
        dir.Write("eds.v1.yaml", Eds(web1.Port, web2.Port));
        await using var host = await AdminHost.StartAsync(ConfigYaml.Bootstrap(ConfigYaml.CatchAll("webcluster1"), [EdsFilesystemTests.EdsCluster(edsPath)]));

        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Client.GetAsync("/hostname");
            response.EnsureSuccessStatusCode();
        }
        var first = "127.0.0.1:" + web1.Port.ToString(CultureInfo.InvariantCulture);
        var lines = await ClustersAsync(host);
        AssertSubsequence(lines, ["webcluster1::eds_service_name::webcluster1", .. HostLines(first, rqTotal: 5)]);

        await EdsFilesystemTests.Sh(dir.Path, "cp eds.v1.yaml eds.yaml && mv eds.yaml tmp.yaml && mv tmp.yaml eds.yaml");
        var second = "127.0.0.1:" + web2.Port.ToString(CultureInfo.InvariantCulture);
        Assert.True(await Eventually.TrueAsync(async () => (await ClustersAsync(host)).Any(l => l.StartsWith("webcluster1::" + second + "::", StringComparison.Ordinal))));
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.GetAsync("/hostname");
            response.EnsureSuccessStatusCode();
        }

        lines = await ClustersAsync(host);
        AssertSubsequence(lines, ["webcluster1::eds_service_name::webcluster1", .. HostLines(first, rqTotal: 7), .. HostLines(second, rqTotal: 2)]);
    }

    private static IEnumerable<string> HostLines(string address, int rqTotal)
    {
        var values = new Dictionary<string, string>
        {
            ["cx_active"] = "*",
            ["cx_connect_fail"] = "0",
            ["cx_total"] = "*",
            ["rq_active"] = "0",
            ["rq_error"] = "0",
            ["rq_success"] = rqTotal.ToString(CultureInfo.InvariantCulture),
            ["rq_timeout"] = "0",
            ["rq_total"] = rqTotal.ToString(CultureInfo.InvariantCulture),
            ["hostname"] = "",
            ["health_flags"] = "healthy",
            ["weight"] = "1",
            ["region"] = "",
            ["zone"] = "",
            ["sub_zone"] = "",
            ["canary"] = "false",
            ["priority"] = "0",
            ["success_rate"] = "-1",
            ["local_origin_success_rate"] = "-1",
        };
        foreach (var key in s_hostKeys)
        {
            yield return "webcluster1::" + address + "::" + key + "::" + values[key];
        }
    }

    /// <summary>Every expected line appears, in order; "*" matches any value (connection reuse varies).</summary>
    private static void AssertSubsequence(IReadOnlyList<string> lines, IReadOnlyList<string> expected)
    {
        var at = 0;
        foreach (var want in expected)
        {
            var wildcard = want.EndsWith("::*", StringComparison.Ordinal);
            var prefix = wildcard ? want[..^1] : want;
            while (at < lines.Count && !(wildcard ? lines[at].StartsWith(prefix, StringComparison.Ordinal) : lines[at] == want))
            {
                at++;
            }
            Assert.True(at < lines.Count, "missing or out of order: " + want + "\n/clusters was:\n" + string.Join("\n", lines));
            at++;
        }
    }

    private static async Task<IReadOnlyList<string>> ClustersAsync(AdminHost host)
    {
        var text = await host.AdminClient.GetStringAsync("/clusters");
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.TrimEnd('\n').Split('\n');
    }

    private static string Eds(params int[] ports)
    {
        var text = "resources:\n- \"@type\": type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment\n  cluster_name: webcluster1\n  endpoints:\n  - lb_endpoints:\n";
        foreach (var port in ports)
        {
            text += "    - endpoint:\n        address:\n          socket_address:\n            address: 127.0.0.1\n            port_value: " + port.ToString(CultureInfo.InvariantCulture) + "\n";
        }
        return text;
    }
}
