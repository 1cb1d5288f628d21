using System.Runtime.CompilerServices;

namespace Legate.AccessLog;

/// <summary>
/// The open access log destinations of a server, one <see cref="AccessLogFile"/> per path however many loggers
/// name it (so their lines never interleave). Files stay open across config updates, as in Envoy.
/// </summary>
public sealed class AccessLogFileManager : IDisposable
{
    private static readonly ConditionalWeakTable<AccessLogContext, AccessLogFileManager> s_byContext = new();

    private readonly Dictionary<string, AccessLogFile> _files = new(StringComparer.Ordinal);
    private readonly TimeSpan _flushInterval;
    private bool _disposed;

    public AccessLogFileManager(TimeSpan flushInterval) => _flushInterval = flushInterval;

    /// <summary>The manager of the server owning <paramref name="context"/>; the server disposes it at shutdown.</summary>
    public static AccessLogFileManager For(AccessLogContext context) =>
        s_byContext.GetValue(context, static c => new AccessLogFileManager(c.FileFlushInterval));

    /// <summary>The destination for <paramref name="path"/>, opened (append mode) on first use.</summary>
    /// <exception cref="IOException">The path cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The path cannot be opened.</exception>
    public AccessLogFile GetOrCreate(string path)
    {
        lock (_files)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_files.TryGetValue(path, out var file))
            {
                file = new AccessLogFile(path, _flushInterval);
                _files.Add(path, file);
            }
            return file;
        }
    }

    /// <summary>Reopens every file (log rotation). Returns false if any could not be reopened.</summary>
    public bool ReopenAll()
    {
        var ok = true;
        foreach (var file in Snapshot())
        {
            ok &= file.Reopen();
        }
        return ok;
    }

    public void FlushAll()
    {
        foreach (var file in Snapshot())
        {
            file.Flush();
        }
    }

    public void Dispose()
    {
        AccessLogFile[] files;
        lock (_files)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            files = [.. _files.Values];
            _files.Clear();
        }
        foreach (var file in files)
        {
            file.Dispose();
        }
    }

    private AccessLogFile[] Snapshot()
    {
        lock (_files)
        {
            return [.. _files.Values];
        }
    }
}
