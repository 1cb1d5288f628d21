using System.Net;
using Legate.IntegrationTests.Support;

namespace Legate.IntegrationTests;

/// <summary>Host selection observed from the upstreams' side.</summary>
public sealed class LoadBalancingTests
{
    [Fact]
    public async Task Weighted_round_robin_splits_sequential_requests_in_proportion_to_weights()
    {
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        await using var c = await TestUpstream.StartAsync("c");
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("weighted"),
            [ConfigYaml.StaticCluster("weighted", [a.Port, b.Port, c.Port], "ROUND_ROBIN", weights: [1, 2, 3])]));
        var client = legate.CreateClient();
        const int total = 600;

        for (var i = 0; i < total; i++)
        {
            using var response = await client.GetAsync("/rr");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Exact shares are 100/200/300; allow ±2% of the total.
        const int tolerance = total * 2 / 100;
        Assert.InRange(a.Requests, 100 - tolerance, 100 + tolerance);
        Assert.InRange(b.Requests, 200 - tolerance, 200 + tolerance);
        Assert.InRange(c.Requests, 300 - tolerance, 300 + tolerance);
        Assert.Equal(total, a.Requests + b.Requests + c.Requests);
    }

    [Fact]
    public async Task Least_request_sends_new_requests_to_the_idle_host()
    {
        await using var a = await TestUpstream.StartAsync("a");
        await using var b = await TestUpstream.StartAsync("b");
        // choice_count 30: P2C draws with replacement, so with two hosts and the default of 2 a quarter of the
        // picks would see only the busy host; 30 draws make "both drawn the busy host" (2^-30) practically impossible.
        await using var legate = await LegateHost.StartAsync(ConfigYaml.Bootstrap(
            ConfigYaml.CatchAll("lr"),
            [ConfigYaml.StaticCluster("lr", [a.Port, b.Port], "LEAST_REQUEST", extra: "least_request_lb_config: { choice_count: 30 }")]));
        var client = legate.CreateClient(timeout: TimeSpan.FromSeconds(30));
        var heldClient = legate.CreateClient(timeout: TimeSpan.FromSeconds(30));

        // Both hosts hold; spread 6 in-flight requests over them, then let b finish its share.
        var held = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 6; i++)
        {
            held.Add(heldClient.GetAsync("/hold"));
        }
        Assert.True(await Eventually.TrueAsync(() => a.HeldNow + b.HeldNow == 6), $"held: a={a.HeldNow} b={b.HeldNow}");
        var busyOnA = a.HeldNow;
        Assert.True(busyOnA > 0, "all six requests went to b; least request should have balanced them");
        b.ReleaseHeld();
        Assert.True(await Eventually.TrueAsync(() => CountCompleted(held) == 6 - busyOnA), "b's requests did not complete");
        var requestsOnA = a.Requests;

        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync("/fresh");
            Assert.Equal("b", (await EchoReply.ReadAsync(response)).Upstream);
        }
        Assert.Equal(requestsOnA, a.Requests);
        Assert.Equal(busyOnA, a.HeldNow);

        a.ReleaseHeld();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    private static int CountCompleted(List<Task<HttpResponseMessage>> tasks)
    {
        var done = 0;
        foreach (var task in tasks)
        {
            if (task.IsCompletedSuccessfully)
            {
                done++;
            }
        }
        return done;
    }
}
