using System.Text;

namespace Legate.AccessLog;

/// <summary>
/// One access log destination (a file, /dev/stdout or /dev/stderr), shared by every logger that names the same
/// path. Lines go into an in-memory buffer under a short lock; a timer writes the buffer out every
/// --file-flush-interval-msec, as does a full buffer (on the thread pool), <see cref="Flush"/> and
/// <see cref="Dispose"/>. <see cref="Reopen"/> reopens the path after log rotation (SIGUSR1, /reopen_logs).
/// </summary>
public sealed class AccessLogFile : IDisposable
{
    public const string StandardOutputPath = "/dev/stdout";
    public const string StandardErrorPath = "/dev/stderr";

    // Envoy's flush threshold: a buffer this full is written out without waiting for the timer.
    private const int FlushThreshold = 64 * 1024;

    // Past this the writer is falling behind; the request thread writes the buffer itself (backpressure).
    private const int InlineFlushThreshold = 16 * 1024 * 1024;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _bufferLock = new();
    private readonly object _ioLock = new();
    private readonly Encoder _encoder = s_utf8.GetEncoder();
    private readonly Timer _timer;
    private byte[] _buffer = new byte[FlushThreshold * 2];
    private byte[] _spare = new byte[FlushThreshold * 2];
    private int _count;
    private bool _flushQueued;
    private bool _disposed;
    private Stream _stream;

    internal AccessLogFile(string path, TimeSpan flushInterval)
    {
        Path = path;
        _stream = Open(path);
        if (flushInterval <= TimeSpan.Zero)
        {
            flushInterval = TimeSpan.FromSeconds(10);
        }
        _timer = new Timer(static state => ((AccessLogFile)state!).Flush(), this, flushInterval, flushInterval);
    }

    public string Path { get; }

    private bool IsStandardStream => Path is StandardOutputPath or StandardErrorPath;

    /// <summary>Buffers <paramref name="line"/> (already newline-terminated by its format).</summary>
    public void Write(StringBuilder line)
    {
        bool inline;
        bool queue;
        lock (_bufferLock)
        {
            if (_disposed)
            {
                return;
            }
            var chunks = line.GetChunks();
            var hasNext = chunks.MoveNext();
            while (hasNext)
            {
                var chunk = chunks.Current.Span;
                hasNext = chunks.MoveNext();
                Reserve(s_utf8.GetMaxByteCount(chunk.Length));
                _count += _encoder.GetBytes(chunk, _buffer.AsSpan(_count), flush: !hasNext);
            }
            inline = _count >= InlineFlushThreshold;
            queue = !inline && _count >= FlushThreshold && !_flushQueued;
            if (queue)
            {
                _flushQueued = true;
            }
        }
        if (inline)
        {
            Flush();
        }
        else if (queue)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static file => file.Flush(), this, preferLocal: false);
        }
    }

    public void Write(string line) => Write(new StringBuilder(line));

    /// <summary>Writes everything buffered so far to the destination.</summary>
    public void Flush()
    {
        lock (_ioLock)
        {
            byte[] pending;
            int count;
            lock (_bufferLock)
            {
                _flushQueued = false;
                if (_count == 0)
                {
                    return;
                }
                pending = _buffer;
                count = _count;
                _buffer = _spare;
                _count = 0;
            }
            try
            {
                _stream.Write(pending, 0, count);
                _stream.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // A full disk or a closed pipe must not take the proxy down; these lines are lost.
            }
            // Only flushes touch the spare, and they hold the I/O lock.
            _spare = pending;
        }
    }

    /// <summary>Flushes, then closes and reopens the path. False (old destination kept) if it cannot be opened.</summary>
    public bool Reopen()
    {
        if (IsStandardStream)
        {
            Flush();
            return true;
        }
        lock (_ioLock)
        {
            Flush();
            Stream reopened;
            try
            {
                reopened = Open(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
            var old = _stream;
            _stream = reopened;
            old.Dispose();
            return true;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_bufferLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        Flush();
        if (!IsStandardStream)
        {
            lock (_ioLock)
            {
                _stream.Dispose();
            }
        }
    }

    private void Reserve(int bytes)
    {
        if (_buffer.Length - _count >= bytes)
        {
            return;
        }
        var grown = new byte[Math.Max(_buffer.Length * 2, _count + bytes)];
        _buffer.AsSpan(0, _count).CopyTo(grown);
        _buffer = grown;
    }

    private static Stream Open(string path) => path switch
    {
        StandardOutputPath => Console.OpenStandardOutput(),
        StandardErrorPath => Console.OpenStandardError(),
        _ => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1),
    };
}
