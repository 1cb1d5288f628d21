using Microsoft.Extensions.Logging;

namespace Legate.Logging;

/// <summary>
/// One application log event as the pattern sees it. <paramref name="Timestamp"/> is printed as given
/// (the provider passes local time, like spdlog). <paramref name="Category"/> and <paramref name="EventId"/>
/// stand in for spdlog's source file (%g) and line (%#): .NET loggers carry no source location.
/// </summary>
public readonly record struct LogRecord(
    DateTimeOffset Timestamp,
    int ThreadId,
    LogLevel Level,
    string Component,
    string Category,
    int EventId,
    string Message);
