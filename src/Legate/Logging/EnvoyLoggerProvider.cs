using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>
/// Envoy-style application logging for Microsoft.Extensions.Logging. Category names are Envoy component
/// names (<c>CreateLogger("upstream")</c>); any other category prints as <c>misc</c>. Lines follow the
/// --log-format pattern and go to stderr or --log-path through one thread-safe writer.
/// </summary>
public sealed class EnvoyLoggerProvider : ILoggerProvider
{
    private readonly LogSink _sink;
    private readonly TimeProvider _time;

    /// <summary>Writes to <see cref="LogSettings.LogPath"/> (appending) or, when empty, to stderr.
    /// Throws IOException/UnauthorizedAccessException if the log file cannot be opened.</summary>
    public EnvoyLoggerProvider(LogSettings settings, TimeProvider? timeProvider = null)
        : this(settings, settings.LogPath.Length > 0 ? LogSink.ForFile(settings.LogPath) : LogSink.ForStandardError(),
            timeProvider)
    {
    }

    /// <summary>Writes to <paramref name="writer"/> (not disposed by the provider); LogPath is ignored.</summary>
    public EnvoyLoggerProvider(LogSettings settings, TextWriter writer, TimeProvider? timeProvider = null)
        : this(settings, LogSink.ForWriter(writer), timeProvider)
    {
    }

    private EnvoyLoggerProvider(LogSettings settings, LogSink sink, TimeProvider? timeProvider)
    {
        _sink = sink;
        try
        {
            LevelTable = new LogLevelTable(settings.Level, settings.ComponentLevels);
            Pattern = LogPattern.Parse(settings.Format, settings.FormatEscaped);
        }
        catch
        {
            sink.Dispose();
            throw;
        }

        _time = timeProvider ?? TimeProvider.System;
    }

    public LogPattern Pattern { get; }

    /// <summary>The runtime levels; the admin /logging endpoint reads and changes them.</summary>
    public LogLevelTable LevelTable { get; }

    /// <summary>The log file path, or null when writing to stderr or a supplied writer.</summary>
    public string? LogPath => _sink.Path;

    public ILogger CreateLogger(string categoryName) => new EnvoyLogger(this, categoryName);

    /// <summary>Sets one component's level; false for an unknown component.</summary>
    public bool SetLevel(string component, LogLevel level) => LevelTable.SetLevel(component, level);

    public void SetAllLevels(LogLevel level) => LevelTable.SetAllLevels(level);

    public LogLevel GetLevel(string component) => LevelTable.GetLevel(component);

    /// <summary>(component, level) pairs sorted by component name.</summary>
    public IReadOnlyList<KeyValuePair<string, LogLevel>> GetLevels() => LevelTable.Snapshot();

    /// <summary>Reopens --log-path (SIGUSR1, POST /reopen_logs). False if the file could not be reopened,
    /// in which case logging continues to the old file.</summary>
    public bool Reopen() => _sink.Reopen();

    public void Flush() => _sink.Flush();

    public void Dispose() => _sink.Dispose();

    internal DateTimeOffset Now() => _time.GetLocalNow();

    internal void Write(in LogRecord record) => _sink.Write(Pattern, record);
}
