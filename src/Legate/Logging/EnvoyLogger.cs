using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>
/// A logger for one category. Its level is read from the shared <see cref="LogLevelTable"/> on every call,
/// so admin level changes apply to loggers that already exist.
/// </summary>
internal sealed class EnvoyLogger : ILogger
{
    private readonly EnvoyLoggerProvider _provider;
    private readonly int _componentIndex;
    private readonly string _component;
    private readonly string _category;

    public EnvoyLogger(EnvoyLoggerProvider provider, string category)
    {
        _provider = provider;
        _category = category;
        _componentIndex = provider.LevelTable.IndexOf(category);
        _component = _componentIndex == LogLevelTable.ForeignIndex ? LogComponents.Misc : category;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) =>
        logLevel != LogLevel.None && logLevel >= _provider.LevelTable.LevelAt(_componentIndex);

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string message = formatter(state, exception);
        if (exception is not null)
        {
            message = message.Length == 0 ? exception.ToString() : message + "\n" + exception;
        }

        _provider.Write(new LogRecord(
            _provider.Now(), Environment.CurrentManagedThreadId, logLevel, _component, _category, eventId.Id, message));
    }
}
