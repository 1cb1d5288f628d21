using Xunit.Abstractions;

namespace Legate.WireCompat.Tests;

/// <summary>Builds both descriptor sets once per run (protoc over ~100 files each).</summary>
public sealed class WireCompatFixture
{
    private readonly Lazy<(DescriptorSets? Sets, Exception? Error)> _sets = new(() =>
    {
        try
        {
            return (DescriptorSets.Build(), null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    });

    internal DescriptorSets Sets
    {
        get
        {
            var (sets, error) = _sets.Value;
            if (error is not null)
            {
                Assert.Fail(error.Message);
            }
            return sets!;
        }
    }
}

public sealed class WireCompatTests(WireCompatFixture fixture, ITestOutputHelper output) : IClassFixture<WireCompatFixture>
{
    [Fact]
    public void EveryTypeInApiMatchesUpstream()
    {
        var sets = fixture.Sets;
        var ourFiles = new HashSet<string>(sets.OurFiles, StringComparer.Ordinal);
        var ours = SchemaIndex.Of(sets.Ours, ourFiles);
        var upstream = SchemaIndex.Of(sets.Upstream);
        var comparison = SchemaComparison.Run(ours, upstream, ourFiles);

        var verdict = Verdict.Of(comparison);
        var report = ComparisonReport.Write(sets, ours, comparison, verdict);
        output.WriteLine("report: " + report);

        var problems = new List<string>(verdict.Differences);
        foreach (var missing in verdict.UnexplainedMissing)
        {
            problems.Add("absent upstream: " + missing);
        }
        foreach (var stale in verdict.StaleGaps)
        {
            problems.Add("stale SnapshotGaps entry (upstream has it now, or api/ dropped it): " + stale);
        }
        Assert.True(problems.Count == 0,
            $"{problems.Count} wire incompatibilities with upstream Envoy (full report: {report}):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void ComparesTheCoreEnvoyTypes()
    {
        // Guards against a comparison that silently matches nothing (wrong include paths, empty sets).
        var sets = fixture.Sets;
        var ours = SchemaIndex.Of(sets.Ours, new HashSet<string>(sets.OurFiles, StringComparer.Ordinal));
        var upstream = SchemaIndex.Of(sets.Upstream);
        string[] core =
        [
            "envoy.config.bootstrap.v3.Bootstrap",
            "envoy.config.listener.v3.Listener",
            "envoy.config.route.v3.RouteConfiguration",
            "envoy.config.cluster.v3.Cluster",
            "envoy.config.endpoint.v3.ClusterLoadAssignment",
            "envoy.service.discovery.v3.DiscoveryRequest",
            "envoy.service.discovery.v3.DeltaDiscoveryResponse",
            "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        ];
        foreach (var name in core)
        {
            Assert.True(ours.Messages.ContainsKey(name), "api/ does not define " + name);
            Assert.True(upstream.Messages.ContainsKey(name), "upstream snapshot does not define " + name);
        }
        Assert.Contains("envoy.service.discovery.v3.AggregatedDiscoveryService", upstream.Services.Keys);
        Assert.True(ours.Messages.Count > 200, $"only {ours.Messages.Count} messages found in api/");
    }
}
