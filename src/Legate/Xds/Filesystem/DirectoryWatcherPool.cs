namespace Legate.Xds.Filesystem;

/// <summary>
/// One <see cref="FileSystemWatcher"/> per directory, shared by every subscription watching it. On Linux
/// each watcher is its own inotify instance and a user gets 128 of them, so watchers are pooled here and
/// events fanned out. Only moves into the directory matter (Renamed, and Created for a move from another
/// directory); <see cref="FileSystemWatcher.Error"/> (queue overflow) is passed on as a null event: rescan.
/// </summary>
internal sealed class DirectoryWatcherPool
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public static DirectoryWatcherPool Shared { get; } = new();

    /// <summary>Number of directories watched now (one inotify instance each).</summary>
    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Calls <paramref name="onMovedIn"/> with the entry name moved into <paramref name="directory"/>, or null on overflow.</summary>
    public IDisposable Watch(string directory, Action<string?> onMovedIn)
    {
        var key = Path.GetFullPath(directory);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(key);
                _entries[key] = entry;
            }
            entry.Add(onMovedIn);
            return new Registration(this, entry, onMovedIn);
        }
    }

    private void Remove(Entry entry, Action<string?> handler)
    {
        lock (_gate)
        {
            if (entry.Remove(handler) == 0)
            {
                _entries.Remove(entry.Directory);
                entry.Dispose();
            }
        }
    }

    private sealed class Entry : IDisposable
    {
        private readonly FileSystemWatcher _watcher;
        private Action<string?>[] _handlers = [];

        public Entry(string directory)
        {
            Directory = directory;
            _watcher = new FileSystemWatcher(directory)
            {
                // The k8s ..data swap renames a symlink to a directory, so directory names count too.
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName,
                IncludeSubdirectories = false,
            };
            _watcher.Created += (_, e) => Raise(e.Name);
            _watcher.Renamed += (_, e) => Raise(e.Name);
            _watcher.Error += (_, _) => Raise(null);
            _watcher.EnableRaisingEvents = true;
        }

        public string Directory { get; }

        public void Add(Action<string?> handler) => _handlers = [.. _handlers, handler];

        public int Remove(Action<string?> handler)
        {
            var list = new List<Action<string?>>(_handlers);
            list.Remove(handler);
            _handlers = [.. list];
            return _handlers.Length;
        }

        public void Dispose() => _watcher.Dispose();

        private void Raise(string? name)
        {
            foreach (var handler in Volatile.Read(ref _handlers))
            {
                handler(name);
            }
        }
    }

    private sealed class Registration(DirectoryWatcherPool pool, Entry entry, Action<string?> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                pool.Remove(entry, handler);
            }
        }
    }
}
