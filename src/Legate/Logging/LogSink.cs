using System.Text;

namespace Legate.Logging;

/// <summary>
/// The single writer behind every logger: formats and writes one line at a time under a lock, flushing each
/// line so nothing is lost on a crash. Writes to stderr, to an append-mode file (--log-path) that
/// <see cref="Reopen"/> reopens for log rotation, or to a caller-supplied writer.
/// </summary>
internal sealed class LogSink : IDisposable
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _lock = new();
    private readonly StringBuilder _line = new(256);
    private readonly string? _path;
    private readonly bool _ownsWriter;
    private TextWriter _writer;
    private bool _disposed;

    private LogSink(TextWriter writer, string? path, bool ownsWriter)
    {
        _writer = writer;
        _path = path;
        _ownsWriter = ownsWriter;
    }

    public string? Path => _path;

    public static LogSink ForStandardError() =>
        new(new StreamWriter(Console.OpenStandardError(), s_utf8), null, ownsWriter: false);

    /// <summary>Opens <paramref name="path"/> for appending; throws if it cannot be opened (a startup error).</summary>
    public static LogSink ForFile(string path) => new(OpenFile(path), path, ownsWriter: true);

    public static LogSink ForWriter(TextWriter writer) => new(writer, null, ownsWriter: false);

    public void Write(LogPattern pattern, in LogRecord record)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _line.Clear();
            pattern.Append(_line, record);
            _line.Append('\n');
            try
            {
                _writer.Write(_line);
                _writer.Flush();
            }
            catch (IOException)
            {
                // A full disk or closed stderr must not take the proxy down; the line is dropped.
            }
        }
    }

    /// <summary>
    /// Closes and reopens the log file at its path (after a rotation moved it away). Returns false, keeping the
    /// old file, if the path cannot be opened; a no-op returning true for stderr or a supplied writer.
    /// </summary>
    public bool Reopen()
    {
        if (_path is null)
        {
            return true;
        }

        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            TextWriter reopened;
            try
            {
                reopened = OpenFile(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            _writer.Dispose();
            _writer = reopened;
            return true;
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _writer.Flush();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
            else
            {
                _writer.Flush();
            }
        }
    }

    private static StreamWriter OpenFile(string path)
    {
        var stream = new FileStream(
            path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        return new StreamWriter(stream, s_utf8);
    }
}
