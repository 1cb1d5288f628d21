using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Legate.IntegrationTests.Support;
using Legate.Server;

namespace Legate.IntegrationTests.Admin;

/// <summary>After N requests through a listener, /stats (text and JSON) and /stats/prometheus report N under Envoy's names and labels.</summary>
public sealed class AdminStatsTests
{
    private const int N = 7;

    private static string Yaml(int upstreamPort, string extra = "") =>
        extra + ConfigYaml.Bootstrap(ConfigYaml.CatchAll("echo_cluster"), [ConfigYaml.StaticCluster("echo_cluster", upstreamPort)], statPrefix: "ingress_http");

    private static async Task<AdminHost> StartWithTrafficAsync(TestUpstream upstream, string extra = "", ServerOptions? commandLine = null)
    {
        var host = await AdminHost.StartAsync(Yaml(upstream.Port, extra), commandLine);
        await host.SendAsync(N);
        await host.WaitForCounterAsync("http.ingress_http.downstream_rq_completed", N);
        await host.WaitForCounterAsync("cluster.echo_cluster.upstream_rq_completed", N);
        return host;
    }

    [Fact]
    public async Task Stats_text_reports_the_requests_sent()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await StartWithTrafficAsync(upstream);

        var (status, body, contentType) = await host.GetAsync("/stats");

        Assert.Equal(200, status);
        Assert.Equal("text/plain; charset=UTF-8", contentType);
        foreach (var name in new[]
        {
            "http.ingress_http.downstream_rq_total", "http.ingress_http.downstream_rq_2xx", "http.ingress_http.downstream_rq_completed",
            "cluster.echo_cluster.upstream_rq_total", "cluster.echo_cluster.upstream_rq_2xx", "cluster.echo_cluster.upstream_rq_200",
        })
        {
            Assert.Contains("\n" + name + ": " + N.ToString(CultureInfo.InvariantCulture) + "\n", body);
        }
        // Counters and gauges merged in name order, then histograms as Envoy's quantile summary.
        var numbers = body.Split('\n').Where(l => l.Length > 0 && !l.Contains(": P0(", StringComparison.Ordinal) && !l.EndsWith(": No recorded values", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]).ToList();
        Assert.Equal(numbers.Order(StringComparer.Ordinal), numbers);
        var quantile = @"\((nan|[0-9.e+-]+),([0-9.e+-]+)\)";
        var summary = "^cluster\\.echo_cluster\\.upstream_rq_time: P0" + quantile + " P25" + quantile + " P50" + quantile + " P75" + quantile
            + " P90" + quantile + " P95" + quantile + " P99" + quantile + " P99\\.5" + quantile + " P99\\.9" + quantile + " P100" + quantile + "$";
        Assert.Matches(new Regex(summary, RegexOptions.Multiline), body);
        Assert.Contains("\nhttp.ingress_http.downstream_rq_time: P0(", body);

        var (_, filtered, _) = await host.GetAsync("/stats?filter=^cluster\\.echo_cluster\\.upstream_rq_(total|200)$");
        Assert.Equal($"cluster.echo_cluster.upstream_rq_200: {N}\ncluster.echo_cluster.upstream_rq_total: {N}\n", filtered);
        var (_, counters, _) = await host.GetAsync("/stats?usedonly&type=Counters&filter=^http\\.ingress_http\\.downstream_rq_[0-9]xx$");
        Assert.Equal($"http.ingress_http.downstream_rq_2xx: {N}\n", counters);
        Assert.Equal(400, (await host.GetAsync("/stats?filter=(")).Status);
    }

    [Fact]
    public async Task Stats_json_reports_counters_and_histogram_quantiles()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await StartWithTrafficAsync(upstream);

        var (status, body, contentType) = await host.GetAsync("/stats?format=json");

        Assert.Equal(200, status);
        Assert.Equal("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        JsonElement? histograms = null;
        foreach (var stat in json.RootElement.GetProperty("stats").EnumerateArray())
        {
            if (stat.TryGetProperty("histograms", out var h))
            {
                histograms = h;
            }
            else
            {
                values[stat.GetProperty("name").GetString()!] = stat.GetProperty("value");
            }
        }
        Assert.Equal(N, values["cluster.echo_cluster.upstream_rq_200"].GetInt64());
        Assert.Equal(N, values["http.ingress_http.downstream_rq_total"].GetInt64());
        Assert.NotNull(histograms);
        Assert.Equal("[0,25,50,75,90,95,99,99.5,99.9,100]", histograms.Value.GetProperty("supported_quantiles").GetRawText());
        var rqTime = histograms.Value.GetProperty("computed_quantiles").EnumerateArray()
            .Single(q => q.GetProperty("name").GetString() == "cluster.echo_cluster.upstream_rq_time");
        var quantiles = rqTime.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(10, quantiles.Count);
        foreach (var q in quantiles)
        {
            // Envoy writes cumulative first; interval is null until a flush interval has samples.
            Assert.Equal(["cumulative", "interval"], q.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(JsonValueKind.Number, q.GetProperty("cumulative").ValueKind);
        }
    }

    [Fact]
    public async Task Prometheus_output_has_envoy_names_and_labels_and_parses()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await StartWithTrafficAsync(upstream);

        var (status, body, _) = await host.GetAsync("/stats/prometheus");

        Assert.Equal(200, status);
        Assert.Contains("# TYPE envoy_cluster_upstream_rq counter\n", body);
        Assert.Contains($"\nenvoy_cluster_upstream_rq{{envoy_response_code=\"200\",envoy_cluster_name=\"echo_cluster\"}} {N}\n", body);
        Assert.Contains($"\nenvoy_cluster_upstream_rq_xx{{envoy_response_code_class=\"2\",envoy_cluster_name=\"echo_cluster\"}} {N}\n", body);
        Assert.Contains($"\nenvoy_cluster_upstream_rq_total{{envoy_cluster_name=\"echo_cluster\"}} {N}\n", body);
        Assert.Contains($"\nenvoy_http_downstream_rq_xx{{envoy_response_code_class=\"2\",envoy_http_conn_manager_prefix=\"ingress_http\"}} {N}\n", body);
        Assert.Contains($"\nenvoy_http_downstream_rq_total{{envoy_http_conn_manager_prefix=\"ingress_http\"}} {N}\n", body);
        Assert.Contains("\nenvoy_server_live{} 1\n", body);
        Assert.Contains("# TYPE envoy_cluster_upstream_rq_time histogram\n", body);
        Assert.Contains("\nenvoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"echo_cluster\",le=\"0.5\"} ", body);
        Assert.Contains($"\nenvoy_cluster_upstream_rq_time_bucket{{envoy_cluster_name=\"echo_cluster\",le=\"+Inf\"}} {N}\n", body);
        Assert.Contains("\nenvoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"echo_cluster\",le=\"3600000\"} ", body);

        var parsed = await PrometheusParser.ParseAsync(body);
        Assert.Equal("counter", parsed.FamilyTypes["envoy_cluster_upstream_rq"]);
        Assert.Equal("histogram", parsed.FamilyTypes["envoy_cluster_upstream_rq_time"]);
        Assert.Equal("gauge", parsed.FamilyTypes["envoy_server_live"]);
        Assert.Equal(N, parsed.Value("envoy_cluster_upstream_rq", "envoy_response_code=200,envoy_cluster_name=echo_cluster"));
        Assert.Equal(N, parsed.Value("envoy_cluster_upstream_rq_xx", "envoy_response_code_class=2,envoy_cluster_name=echo_cluster"));
        Assert.Equal(N, parsed.Value("envoy_cluster_upstream_rq_total", "envoy_cluster_name=echo_cluster"));
        Assert.Equal(N, parsed.Value("envoy_http_downstream_rq_xx", "envoy_response_code_class=2,envoy_http_conn_manager_prefix=ingress_http"));
        Assert.Equal(N, parsed.Value("envoy_http_downstream_rq_total", "envoy_http_conn_manager_prefix=ingress_http"));
        Assert.Equal(N, parsed.Value("envoy_cluster_upstream_rq_time_count", "envoy_cluster_name=echo_cluster"));
        Assert.Equal(N, parsed.Value("envoy_cluster_upstream_rq_time_bucket", "envoy_cluster_name=echo_cluster,le=+Inf"));
        Assert.Equal(1, parsed.Value("envoy_server_live", string.Empty));

        // Variants Prometheus scrapers use must parse too.
        await PrometheusParser.ParseAsync((await host.GetAsync("/stats/prometheus?usedonly&text_readouts")).Body);
        var viaStats = (await host.GetAsync("/stats?format=prometheus&filter=upstream_rq")).Body;
        var filtered = await PrometheusParser.ParseAsync(viaStats);
        Assert.All(filtered.Samples, s => Assert.Contains("upstream_rq", s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stats_config_matcher_and_tags_shape_the_output()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        var statsConfig = """
            stats_config:
              use_all_default_tags: true
              stats_tags:
              - tag_name: team
                fixed_value: edge
              stats_matcher:
                exclusion_list:
                  patterns:
                  - prefix: cluster.echo_cluster.upstream_rq_2
                  - safe_regex: { regex: "^http\\.ingress_http\\.downstream_cx_.*" }

            """;
        await using var host = await StartWithTrafficAsync(upstream, statsConfig,
            new ServerOptions { StatsTags = [new("region", "eu-1")] });

        var (_, text, _) = await host.GetAsync("/stats");
        Assert.DoesNotContain("cluster.echo_cluster.upstream_rq_200", text);
        Assert.DoesNotContain("cluster.echo_cluster.upstream_rq_2xx", text);
        Assert.DoesNotContain("http.ingress_http.downstream_cx_", text);
        Assert.Contains($"\ncluster.echo_cluster.upstream_rq_total: {N}\n", text);
        Assert.Contains($"\nhttp.ingress_http.downstream_rq_2xx: {N}\n", text);

        var (_, prometheus, _) = await host.GetAsync("/stats/prometheus");
        Assert.Contains($"\nenvoy_cluster_upstream_rq_total{{region=\"eu-1\",team=\"edge\",envoy_cluster_name=\"echo_cluster\"}} {N}\n", prometheus);
        Assert.Contains("\nenvoy_server_live{region=\"eu-1\",team=\"edge\"} 1\n", prometheus);
        Assert.DoesNotContain("envoy_response_code=\"200\",region", prometheus);
        var parsed = await PrometheusParser.ParseAsync(prometheus);
        Assert.Equal(N, parsed.Value("envoy_http_downstream_rq_xx", "envoy_response_code_class=2,region=eu-1,team=edge,envoy_http_conn_manager_prefix=ingress_http"));
    }

    [Fact]
    public async Task Reset_counters_zeroes_counters_and_requires_post()
    {
        await using var upstream = await TestUpstream.StartAsync("echo");
        await using var host = await StartWithTrafficAsync(upstream);

        var (getStatus, getBody, _) = await host.GetAsync("/reset_counters");
        Assert.Equal((405, "Method GET not allowed, POST required."), (getStatus, getBody));
        Assert.Equal((200, "OK\n"), await host.PostAsync("/reset_counters"));

        var (_, body, _) = await host.GetAsync("/stats?filter=^cluster\\.echo_cluster\\.upstream_rq_(total|200|active)$");
        Assert.Equal("cluster.echo_cluster.upstream_rq_200: 0\ncluster.echo_cluster.upstream_rq_active: 0\ncluster.echo_cluster.upstream_rq_total: 0\n", body);
        await host.SendAsync(2);
        await host.WaitForCounterAsync("cluster.echo_cluster.upstream_rq_completed", 2);
        Assert.Equal("cluster.echo_cluster.upstream_rq_total: 2\n", (await host.GetAsync("/stats?filter=^cluster\\.echo_cluster\\.upstream_rq_total$")).Body);
    }
}
