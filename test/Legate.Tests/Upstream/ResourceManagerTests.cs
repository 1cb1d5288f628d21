using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Legate.Stats;
using Legate.Upstream;

namespace Legate.Tests.Upstream;

public sealed class ResourceManagerTests
{
    [Fact]
    public void A_limit_refuses_at_its_maximum_and_keeps_the_open_and_remaining_gauges()
    {
        var store = new StatsStore();
        var manager = new ResourceManager(Thresholds("max_requests: 2, track_remaining: true", RoutingPriority.Default), store.Scope("cluster.c."));
        var requests = manager.Requests;
        var open = store.Gauge("cluster.c.circuit_breakers.default.rq_open");
        var remaining = store.Gauge("cluster.c.circuit_breakers.default.remaining_rq");
        Assert.Equal(2, remaining.Value);

        Assert.True(requests.TryAcquire());
        Assert.Equal(0, open.Value);
        Assert.Equal(1, remaining.Value);
        Assert.True(requests.TryAcquire());
        Assert.Equal(1, open.Value);
        Assert.Equal(0, remaining.Value);
        Assert.False(requests.TryAcquire());
        Assert.Equal(2, requests.Count);

        requests.Release();
        Assert.Equal(0, open.Value);
        Assert.Equal(1, remaining.Value);
    }

    [Fact]
    public void Acquire_may_pass_the_maximum_and_remaining_stays_at_zero()
    {
        var store = new StatsStore();
        var manager = new ResourceManager(Thresholds("max_connections: 1, track_remaining: true", RoutingPriority.High), store.Scope("cluster.c."));
        var connections = manager.Connections;

        Assert.True(connections.TryAcquire());
        connections.Acquire();

        Assert.Equal(2, connections.Count);
        Assert.Equal(1, store.Gauge("cluster.c.circuit_breakers.high.cx_open").Value);
        Assert.Equal(0, store.Gauge("cluster.c.circuit_breakers.high.remaining_cx").Value);
        connections.Release();
        Assert.Equal(1, store.Gauge("cluster.c.circuit_breakers.high.cx_open").Value);
        connections.Release();
        Assert.Equal(0, store.Gauge("cluster.c.circuit_breakers.high.cx_open").Value);
    }

    [Fact]
    public void Remaining_gauges_exist_only_with_track_remaining_and_defaults_are_Envoys()
    {
        var store = new StatsStore();
        var manager = new ResourceManager(Thresholds("", RoutingPriority.Default), store.Scope("cluster.c."));

        Assert.Equal(1024, manager.Connections.Max);
        Assert.Equal(1024, manager.PendingRequests.Max);
        Assert.Equal(1024, manager.Requests.Max);
        Assert.Equal(3, manager.Retries.Max);
        Assert.DoesNotContain(store.Gauges, g => g.Name.Contains("remaining_", StringComparison.Ordinal));
    }

    [Fact]
    public void A_retry_budget_replaces_max_retries_with_a_share_of_the_requests_in_flight()
    {
        var store = new StatsStore();
        var manager = new ResourceManager(Thresholds("max_retries: 100, retry_budget: { \"budget_percent\": { \"value\": 25 }, \"min_retry_concurrency\": 2 }", RoutingPriority.Default), store.Scope("cluster.c."));

        Assert.Equal(2, manager.Retries.Max);
        for (var i = 0; i < 12; i++)
        {
            Assert.True(manager.Requests.TryAcquire());
        }
        Assert.Equal(3, manager.Retries.Max);
        Assert.True(manager.PendingRequests.TryAcquire());
        Assert.Equal(3, manager.Retries.Max);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(manager.PendingRequests.TryAcquire());
        }
        Assert.Equal(4, manager.Retries.Max);
        Assert.True(manager.Retries.TryAcquire());
        Assert.True(manager.Retries.TryAcquire());
        Assert.True(manager.Retries.TryAcquire());
        Assert.True(manager.Retries.TryAcquire());
        Assert.False(manager.Retries.TryAcquire());
        Assert.Equal(1, store.Gauge("cluster.c.circuit_breakers.default.rq_retry_open").Value);
    }

    [Fact]
    public void A_retry_budget_without_fields_takes_Envoys_defaults()
    {
        var thresholds = Thresholds("retry_budget: {}", RoutingPriority.Default);

        Assert.Equal(new RetryBudgetSettings(20, 3), thresholds.RetryBudget);
        Assert.Equal(3, thresholds.RetryBudget!.Allowed(10));
        Assert.Equal(20, thresholds.RetryBudget.Allowed(100));
    }

    private static CircuitBreakerThresholds Thresholds(string fields, RoutingPriority priority)
    {
        var breakers = new CircuitBreakers();
        if (fields.Length > 0)
        {
            var parsed = Google.Protobuf.JsonParser.Default.Parse<CircuitBreakers.Types.Thresholds>("{" + ToJson(fields) + "}");
            parsed.Priority = priority;
            breakers.Thresholds.Add(parsed);
        }
        return CircuitBreakerThresholds.For(breakers, priority);
    }

    // "a: 1, b: { ... }" (top-level keys only) to JSON object members.
    private static string ToJson(string fields)
    {
        var members = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= fields.Length; i++)
        {
            if (i == fields.Length || (fields[i] == ',' && depth == 0))
            {
                var member = fields[start..i].Trim();
                var colon = member.IndexOf(':', StringComparison.Ordinal);
                members.Add("\"" + member[..colon].Trim() + "\":" + member[(colon + 1)..].Trim());
                start = i + 1;
            }
            else if (fields[i] == '{')
            {
                depth++;
            }
            else if (fields[i] == '}')
            {
                depth--;
            }
        }
        return string.Join(",", members);
    }
}
