using System.Text.Json;
using Legate.Admin.Dashboard;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard's sampler and /dashboard/data against real traffic. The admin listener is not bound here,
/// so the sampler's timer does not run and each test ticks it by hand.
/// </summary>
public sealed class DashboardDataTests
{
    [Fact]
    public async Task A_tick_records_request_rates_code_classes_and_latency()
    {
        await using var rig = await DashboardRig.StartAsync();
        var sampler = DashboardSampler.For(rig.Admin.Context);
        sampler.Tick();
        await rig.SendAsync(ok: 6, notFound: 2, failed: 1);
        await rig.Legate.AssertCounterAsync("http.ingress_http.downstream_rq_completed", 9);
        await rig.Legate.AssertCounterAsync("cluster.echo.upstream_rq_total", 6);
        sampler.Tick();

        var sample = Assert.Single(sampler.SamplesSince(0));
        Assert.Equal(new[] { "ingress_http" }, sample.HcmNames);
        Assert.Equal(9, Count(sample.HcmRates[0], sample));
        Assert.Equal(new[] { 0, 6, 0, 2, 1 }, Array.ConvertAll(sample.CodeClassRates, r => Count(r, sample)));
        Assert.Equal(new[] { "dead", "echo" }, sample.ClusterNames);
        Assert.Equal(6, Count(sample.ClusterRates[1], sample));
        Assert.Equal(0, Count(sample.ClusterErrorRates[1], sample));
        Assert.All(sample.DownstreamLatency, p => Assert.True(double.IsFinite(p) && p >= 0, "downstream percentile " + p));
        Assert.All(sample.UpstreamLatency, p => Assert.True(double.IsFinite(p) && p >= 0, "upstream percentile " + p));
        Assert.True(sample.DownstreamLatency[0] <= sample.DownstreamLatency[1] && sample.DownstreamLatency[1] <= sample.DownstreamLatency[2]);

        // Round robin over the two echo hosts: their per-host rates add up to the six requests.
        var hosts = rig.Legate.Server.ClusterManager.Get("echo")!.PrioritySet.Hosts;
        var perHost = 0;
        foreach (var host in hosts)
        {
            var rates = sampler.HostRates(host);
            Assert.Single(rates);
            perHost += Count(rates[0], sample);
        }
        Assert.Equal(6, perHost);
    }

    [Fact]
    public async Task Quiet_ticks_have_zero_rates_and_no_latency()
    {
        await using var rig = await DashboardRig.StartAsync();
        var sampler = DashboardSampler.For(rig.Admin.Context);
        sampler.Tick();
        sampler.Tick();

        var sample = Assert.Single(sampler.SamplesSince(0));
        Assert.Equal(0, sample.HcmRates[0]);
        Assert.All(sample.CodeClassRates, r => Assert.Equal(0, r));
        Assert.All(sample.DownstreamLatency, p => Assert.True(double.IsNaN(p)));
        Assert.DoesNotContain("admin", sample.HcmNames);
    }

    [Fact]
    public async Task Reset_counters_does_not_produce_negative_rates()
    {
        await using var rig = await DashboardRig.StartAsync();
        var sampler = DashboardSampler.For(rig.Admin.Context);
        sampler.Tick();
        await rig.SendAsync(ok: 3);
        await rig.Legate.AssertCounterAsync("http.ingress_http.downstream_rq_completed", 3);
        sampler.Tick();
        var reset = await rig.Admin.RequestAsync("POST", "/reset_counters");
        Assert.Equal(200, reset.StatusCode);
        await rig.SendAsync(ok: 2);
        await rig.Legate.AssertCounterAsync("http.ingress_http.downstream_rq_completed", 2);
        sampler.Tick();

        var samples = sampler.SamplesSince(0);
        Assert.Equal(2, samples.Count);
        Assert.Equal(3, Count(samples[0].HcmRates[0], samples[0]));
        Assert.Equal(2, Count(samples[1].HcmRates[0], samples[1]));
        Assert.Equal(2, Count(samples[1].ClusterRates[1], samples[1]));
    }

    [Fact]
    public async Task Data_endpoint_lists_listeners_clusters_hosts_and_new_samples_only()
    {
        await using var rig = await DashboardRig.StartAsync();
        var sampler = DashboardSampler.For(rig.Admin.Context);
        sampler.Tick();
        await rig.SendAsync(ok: 4);
        await rig.Legate.AssertCounterAsync("cluster.echo.upstream_rq_total", 4);
        sampler.Tick();

        var response = await rig.Admin.RequestAsync("GET", "/dashboard/data");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        using var doc = JsonDocument.Parse(response.Body);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("last_seq").GetInt64());
        Assert.Equal(DashboardSampler.Capacity, root.GetProperty("capacity").GetInt32());
        Assert.Equal("LIVE", root.GetProperty("server").GetProperty("state").GetString());

        var sample = Assert.Single(root.GetProperty("samples").EnumerateArray());
        Assert.True(sample.GetProperty("hcm").GetProperty("ingress_http").GetDouble() > 0);
        Assert.Equal(5, sample.GetProperty("codes").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, sample.GetProperty("ds")[2].ValueKind);
        Assert.True(sample.GetProperty("clusters").GetProperty("echo")[0].GetDouble() > 0);

        var listener = Assert.Single(root.GetProperty("listeners").EnumerateArray());
        Assert.Equal("listener_0", listener.GetProperty("name").GetString());
        Assert.Equal("127.0.0.1:" + rig.Legate.Port, listener.GetProperty("address").GetString());
        Assert.True(listener.GetProperty("bound").GetBoolean());

        var clusters = root.GetProperty("clusters").EnumerateArray().ToList();
        Assert.Equal(new[] { "dead", "echo" }, clusters.Select(c => c.GetProperty("name").GetString()!).ToArray());
        var echo = clusters[1];
        Assert.Equal(4, echo.GetProperty("rq_total").GetInt64());
        var hosts = echo.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal(2, hosts.Count);
        Assert.All(hosts, h => Assert.Equal("healthy", h.GetProperty("health").GetString()));
        Assert.Equal(4, hosts.Sum(h => h.GetProperty("rq_total").GetInt64()));
        Assert.All(hosts, h => Assert.Equal(1, h.GetProperty("rates").GetArrayLength()));

        var none = await rig.Admin.RequestAsync("GET", "/dashboard/data?since=1");
        using var empty = JsonDocument.Parse(none.Body);
        Assert.Equal(0, empty.RootElement.GetProperty("samples").GetArrayLength());
        Assert.Equal(1, empty.RootElement.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task Dashboard_page_is_self_contained_html()
    {
        await using var rig = await DashboardRig.StartAsync();
        var response = await rig.Admin.RequestAsync("GET", "/dashboard");
        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("text/html", response.ContentType);
        Assert.StartsWith("<!DOCTYPE html>", response.Body);
        Assert.Contains("data-chart=\"downstream-rps\"", response.Body);
        Assert.Contains("/dashboard/data", response.Body);
        // Nothing loaded from elsewhere: an admin port often has no internet access.
        Assert.DoesNotContain("src=", response.Body);
        Assert.DoesNotContain("href=\"http", response.Body);
        Assert.DoesNotContain("@import", response.Body);

        var home = await rig.Admin.RequestAsync("GET", "/");
        Assert.Contains("href=\"/dashboard\"", home.Body);
    }

    [Fact]
    public async Task Admin_server_samples_once_a_second_while_started()
    {
        await using var rig = await DashboardRig.StartAsync();
        await rig.StartAdminAsync();
        var sampler = DashboardSampler.For(rig.Admin.Context);
        Assert.True(await Eventually.TrueAsync(() => sampler.LastSequence >= 2, TimeSpan.FromSeconds(10)), "no samples after 10 s");
        await rig.Admin.StopAsync();
        var stopped = sampler.LastSequence;
        // Stopping disposed the timer: a manual tick is the only thing that still adds a sample.
        sampler.Tick();
        Assert.Equal(stopped + 1, sampler.LastSequence);
    }

    private static int Count(double rate, DashboardSample sample) => (int)Math.Round(rate * sample.Seconds);
}
