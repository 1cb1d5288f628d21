using Envoy.Service.Discovery.V3;
using Legate.Config;
using Microsoft.Extensions.Logging;

namespace Legate.Xds.Filesystem;

/// <summary>
/// Envoy's filesystem xDS: the file holds one DiscoveryResponse (YAML for .yaml/.yml, binary for .pb,
/// otherwise JSON) delivered as a state-of-the-world update. It is read at start and again when a file
/// is moved over the path (only moves are atomic; in-place writes are ignored), or, with a watched
/// directory, when anything is moved into that directory (the Kubernetes ConfigMap <c>..data</c> swap).
/// Bursts of events are debounced. A file that does not parse counts update_failure; a resource the
/// callbacks reject counts update_rejected; either way the last good config keeps serving.
/// </summary>
internal sealed class FilesystemSubscription : ISubscription
{
    /// <summary>How long a burst of events must be quiet before the file is read.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(50);

    private readonly string _path;
    private readonly string _fileName;
    private readonly string _directory;
    private readonly bool _watchWholeDirectory;
    private readonly string _typeUrl;
    private readonly ISubscriptionCallbacks _callbacks;
    private readonly SubscriptionStats _stats;
    private readonly ILogger _logger;
    private readonly DirectoryWatcherPool _watchers;
    private readonly TimeProvider _time;
    private readonly ConfigLoadOptions _options;
    private readonly TimeSpan _debounce;
    private readonly Lock _refreshGate = new();
    private readonly ITimer _debounceTimer;
    private IDisposable? _watch;
    private int _disposed;

    public FilesystemSubscription(
        string path,
        string? watchedDirectory,
        string typeUrl,
        ISubscriptionCallbacks callbacks,
        SubscriptionStats stats,
        ILogger logger,
        DirectoryWatcherPool watchers,
        TimeProvider time,
        ConfigLoadOptions options,
        TimeSpan? debounce = null)
    {
        _path = Path.GetFullPath(path);
        _fileName = Path.GetFileName(_path);
        _watchWholeDirectory = !string.IsNullOrEmpty(watchedDirectory);
        _directory = _watchWholeDirectory ? Path.GetFullPath(watchedDirectory!) : Path.GetDirectoryName(_path)!;
        _typeUrl = typeUrl;
        _callbacks = callbacks;
        _stats = stats;
        _logger = logger;
        _watchers = watchers;
        _time = time;
        _options = options;
        _debounce = debounce ?? DefaultDebounce;
        _debounceTimer = time.CreateTimer(static s => ((FilesystemSubscription)s!).Refresh(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Start(IReadOnlyCollection<string> resourceNames)
    {
        // Watch first so a move that lands during the initial read is not lost.
        _watch = _watchers.Watch(_directory, OnMovedIn);
        Refresh();
    }

    /// <summary>The file always delivers everything it holds; the callbacks pick what they need.</summary>
    public void UpdateResourceInterest(IReadOnlyCollection<string> resourceNames)
    {
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _watch?.Dispose();
        _debounceTimer.Dispose();
    }

    private void OnMovedIn(string? name)
    {
        if (name is null || _watchWholeDirectory || string.Equals(name, _fileName, StringComparison.Ordinal))
        {
            _debounceTimer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Reads, decodes and delivers the file. Serialised: a timer callback may overlap a slow callback.</summary>
    internal void Refresh()
    {
        lock (_refreshGate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }
            _stats.UpdateAttempt.Inc();
            DiscoveryResponse response;
            List<DecodedResource> resources;
            try
            {
                response = ConfigParser.ParseFile<DiscoveryResponse>(_path, _options);
                resources = ResourceDecoder.Decode(response, _typeUrl);
            }
            catch (ConfigException e)
            {
                // As in Envoy: a file that cannot be read or parsed is a failure, not a NACK-style rejection.
                _stats.UpdateFailure.Inc();
                _logger.LogWarning("Filesystem config update failure: {Path}: {Error}", _path, e.Message);
                _callbacks.OnConfigUpdateFailed(ConfigUpdateFailureReason.UpdateRejected, e);
                return;
            }
            try
            {
                _callbacks.OnConfigUpdate(resources, response.VersionInfo);
            }
            catch (ConfigException e)
            {
                _stats.UpdateRejected.Inc();
                _logger.LogWarning("Filesystem config update rejected: {Path}: {Error}", _path, e.Message);
                _callbacks.OnConfigUpdateFailed(ConfigUpdateFailureReason.UpdateRejected, e);
                return;
            }
            _stats.UpdateTime.Set(_time.GetUtcNow().ToUnixTimeMilliseconds());
            _stats.Version.Set(VersionHash.Of(response.VersionInfo));
            _stats.VersionText.Value = response.VersionInfo;
            _stats.UpdateSuccess.Inc();
        }
    }
}
