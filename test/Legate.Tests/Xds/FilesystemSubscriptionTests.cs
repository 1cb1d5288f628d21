using System.Diagnostics;
using Envoy.Config.Endpoint.V3;
using Legate.Config;
using Legate.Stats;
using Legate.Xds;
using Legate.Xds.Filesystem;
using Microsoft.Extensions.Logging;
using static Legate.Tests.Polling;

namespace Legate.Tests.Xds;

public sealed class FilesystemSubscriptionTests : IDisposable
{
    private const string ClaType = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "legate-fs-" + Guid.NewGuid().ToString("N"));
    private readonly StatsStore _store = new();
    private readonly DirectoryWatcherPool _watchers = new();
    private readonly CapturingLogger _logger = new();
    private readonly List<IDisposable> _disposables = [];

    public FilesystemSubscriptionTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private static string Cla(string version, params int[] ports)
    {
        var text = "version_info: \"" + version + "\"\nresources:\n- \"@type\": " + ClaType + "\n  cluster_name: web\n  endpoints:\n  - lb_endpoints:\n";
        foreach (var port in ports)
        {
            text += "    - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: " + port + " } } }\n";
        }
        return text;
    }

    private (FilesystemSubscription Subscription, RecordingCallbacks Callbacks, SubscriptionStats Stats) Subscribe(string path, string? watchedDirectory = null, string scope = "eds")
    {
        var callbacks = new RecordingCallbacks();
        var stats = new SubscriptionStats(_store.Scope(scope));
        var subscription = new FilesystemSubscription(
            path, watchedDirectory, ClaType, callbacks, stats, _logger, _watchers, TimeProvider.System, new ConfigLoadOptions { AllowUnknownFields = true }, TimeSpan.FromMilliseconds(20));
        _disposables.Add(subscription);
        subscription.Start([]);
        return (subscription, callbacks, stats);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Start_ReadsTheFileAndSetsStats()
    {
        var path = Write("eds.yaml", Cla("1", 8080));
        var (_, callbacks, stats) = Subscribe(path);

        var update = Assert.Single(callbacks.Updates);
        Assert.Equal("1", update.Version);
        var cla = Assert.IsType<ClusterLoadAssignment>(Assert.Single(update.Resources).Resource);
        Assert.Equal("web", cla.ClusterName);
        Assert.Equal(1, stats.UpdateAttempt.Value);
        Assert.Equal(1, stats.UpdateSuccess.Value);
        Assert.Equal("1", stats.VersionText.Value);
        Assert.Equal(VersionHash.Of("1"), stats.Version.Value);
        Assert.True(stats.UpdateTime.Value > 0);
    }

    [Fact]
    public async Task MoveIntoPlace_Reloads()
    {
        var path = Write("eds.yaml", Cla("1", 8080));
        var (_, callbacks, stats) = Subscribe(path);

        var tmp = Write("tmp.yaml", Cla("2", 8080, 8081));
        File.Move(tmp, path, overwrite: true);

        await WaitUntil(() => stats.UpdateSuccess.Value == 2, "the moved file to be delivered");
        Assert.Equal("2", callbacks.Updates[^1].Version);
        Assert.Equal(2, ((ClusterLoadAssignment)callbacks.Updates[^1].Resources[0].Resource).Endpoints[0].LbEndpoints.Count);
    }

    [Fact]
    public async Task MoveFromAnotherDirectory_Reloads()
    {
        var path = Write("eds.yaml", Cla("1", 8080));
        var (_, _, stats) = Subscribe(path);
        var elsewhere = Path.Combine(_dir, "other");
        Directory.CreateDirectory(elsewhere);
        var staged = Path.Combine(elsewhere, "eds.yaml");
        File.WriteAllText(staged, Cla("2", 8081));

        File.Move(staged, path, overwrite: true);

        await WaitUntil(() => stats.UpdateSuccess.Value == 2, "the cross-directory move to be delivered");
        Assert.Equal("2", stats.VersionText.Value);
    }

    [Fact]
    public async Task InPlaceWrites_DoNotReload()
    {
        var path = Write("eds.yaml", Cla("1", 8080));
        var (_, callbacks, stats) = Subscribe(path);
        var markerPath = Write("marker.yaml", Cla("m", 9000));
        var (_, _, markerStats) = Subscribe(markerPath, scope: "marker");

        // A half-written file: had it been read, it would count update_failure.
        File.WriteAllText(path, Cla("2", 8080)[..40]);
        File.AppendAllText(path, "\n  - broken: [");
        // Events of one directory arrive in order: once the marker's move was handled, so was the write.
        File.Move(Write("marker.tmp", Cla("m2", 9000)), markerPath, overwrite: true);
        await WaitUntil(() => markerStats.UpdateSuccess.Value == 2, "the marker reload");
        await Task.Delay(100); // let a (wrongly) debounced reload of eds.yaml fire, if there were one

        Assert.Equal(1, stats.UpdateAttempt.Value);
        Assert.Equal(0, stats.UpdateFailure.Value);
        Assert.Single(callbacks.Updates);
    }

    [Fact]
    public async Task WatchedDirectory_KubernetesDataSymlinkSwap_Reloads()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        // The ConfigMap layout: eds.yaml -> ..data/eds.yaml, ..data -> ..v1 (a directory).
        Directory.CreateDirectory(Path.Combine(_dir, "..v1"));
        File.WriteAllText(Path.Combine(_dir, "..v1", "eds.yaml"), Cla("1", 8080));
        await Shell("ln -s ..v1 ..data && ln -s ..data/eds.yaml eds.yaml");
        var path = Path.Combine(_dir, "eds.yaml");
        var (_, callbacks, stats) = Subscribe(path, watchedDirectory: _dir);
        Assert.Equal("1", stats.VersionText.Value);

        Directory.CreateDirectory(Path.Combine(_dir, "..v2"));
        File.WriteAllText(Path.Combine(_dir, "..v2", "eds.yaml"), Cla("2", 8080, 8081));
        await Shell("ln -sfn ..v2 ..data_tmp && mv -T ..data_tmp ..data");

        await WaitUntil(() => stats.VersionText.Value == "2", "the ..data swap to be picked up");
        Assert.Equal(2, ((ClusterLoadAssignment)callbacks.Updates[^1].Resources[0].Resource).Endpoints[0].LbEndpoints.Count);
    }

    [Fact]
    public async Task WithoutWatchedDirectory_DataSymlinkSwapIsNotSeen()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        Directory.CreateDirectory(Path.Combine(_dir, "..v1"));
        File.WriteAllText(Path.Combine(_dir, "..v1", "eds.yaml"), Cla("1", 8080));
        await Shell("ln -s ..v1 ..data && ln -s ..data/eds.yaml eds.yaml");
        var (_, _, stats) = Subscribe(Path.Combine(_dir, "eds.yaml"));
        var markerPath = Write("marker.yaml", Cla("m", 9000));
        var (_, _, markerStats) = Subscribe(markerPath, scope: "marker");

        Directory.CreateDirectory(Path.Combine(_dir, "..v2"));
        File.WriteAllText(Path.Combine(_dir, "..v2", "eds.yaml"), Cla("2", 8080));
        await Shell("ln -sfn ..v2 ..data_tmp && mv -T ..data_tmp ..data");
        File.Move(Write("marker.tmp", Cla("m2", 9000)), markerPath, overwrite: true);
        await WaitUntil(() => markerStats.UpdateSuccess.Value == 2, "the marker reload");
        await Task.Delay(100);

        // Envoy's semantics: only a move onto the file itself reloads it.
        Assert.Equal("1", stats.VersionText.Value);
    }

    [Fact]
    public async Task MalformedFile_CountsFailure_KeepsLastGoodConfig_ThenAcceptsAGoodOne()
    {
        var path = Write("eds.yaml", Cla("1", 8080));
        var (_, callbacks, stats) = Subscribe(path);

        File.Move(Write("tmp.yaml", Cla("2", 8080).Replace("port_value: 8080", "port_value: eighty")), path, overwrite: true);
        await WaitUntil(() => stats.UpdateFailure.Value == 1, "the malformed file to be refused");

        Assert.Single(callbacks.Updates);
        Assert.Equal("1", stats.VersionText.Value);
        var failure = Assert.Single(callbacks.Failures);
        Assert.Equal(ConfigUpdateFailureReason.UpdateRejected, failure.Reason);
        Assert.Contains("resources[0].endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value", failure.Error!.Message);
        Assert.Contains(_logger.Warnings, w => w.Contains("resources[0].endpoints[0].lb_endpoints[0]", StringComparison.Ordinal));

        File.Move(Write("tmp.yaml", Cla("3", 8082)), path, overwrite: true);
        await WaitUntil(() => stats.UpdateSuccess.Value == 2, "the good file after the bad one");
        Assert.Equal("3", stats.VersionText.Value);
    }

    [Fact]
    public async Task ResourceRejectedByCallbacks_CountsRejected_AndLogsThePath()
    {
        var path = Write("eds.yaml", Cla("1", 8080));
        var (_, callbacks, stats) = Subscribe(path);
        callbacks.Reject = new ConfigException("resources[0].endpoints[0]", "bad endpoint");

        File.Move(Write("tmp.yaml", Cla("2", 8081)), path, overwrite: true);
        await WaitUntil(() => stats.UpdateRejected.Value == 1, "the rejection");

        Assert.Equal(1, stats.UpdateSuccess.Value);
        Assert.Equal("1", stats.VersionText.Value);
        Assert.Contains(_logger.Warnings, w => w.Contains("resources[0].endpoints[0]: bad endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongResourceType_IsAFailureNamingTheResource()
    {
        var path = Write("eds.yaml", "resources:\n- \"@type\": type.googleapis.com/envoy.config.cluster.v3.Cluster\n  name: c\n");
        var (_, callbacks, stats) = Subscribe(path);
        await Task.Yield();

        Assert.Equal(1, stats.UpdateFailure.Value);
        Assert.Contains("resources[0]", Assert.Single(callbacks.Failures).Error!.Message);
    }

    [Fact]
    public void SubscriptionsInOneDirectory_ShareOneWatcher()
    {
        Subscribe(Write("a.yaml", Cla("1", 8080)), scope: "a");
        Subscribe(Write("b.yaml", Cla("1", 8080)), scope: "b");

        Assert.Equal(1, _watchers.WatcherCount);
        foreach (var d in _disposables)
        {
            d.Dispose();
        }
        Assert.Equal(0, _watchers.WatcherCount);
    }

    private async Task Shell(string command)
    {
        var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = _dir, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, command + ": " + await process.StandardError.ReadToEndAsync());
    }

    private sealed class RecordingCallbacks : ISubscriptionCallbacks
    {
        private readonly Lock _gate = new();

        public List<(IReadOnlyList<DecodedResource> Resources, string Version)> Updates { get; } = [];

        public List<(ConfigUpdateFailureReason Reason, Exception? Error)> Failures { get; } = [];

        public ConfigException? Reject { get; set; }

        public void OnConfigUpdate(IReadOnlyList<DecodedResource> resources, string versionInfo)
        {
            if (Reject is { } reject)
            {
                throw reject;
            }
            lock (_gate)
            {
                Updates.Add((resources, versionInfo));
            }
        }

        public void OnConfigUpdate(IReadOnlyList<DecodedResource> added, IReadOnlyList<string> removed, string systemVersionInfo) =>
            throw new NotSupportedException();

        public void OnConfigUpdateFailed(ConfigUpdateFailureReason reason, Exception? error)
        {
            lock (_gate)
            {
                Failures.Add((reason, error));
            }
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<string> _warnings = [];

        public List<string> Warnings
        {
            get
            {
                lock (_gate)
                {
                    return [.. _warnings];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (_gate)
                {
                    _warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
