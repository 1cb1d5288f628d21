using Microsoft.Extensions.Logging;

namespace Legate.AccessLog;

/// <summary>Services shared by all access loggers of a server.</summary>
public sealed class AccessLogContext
{
    public AccessLogContext(ILoggerFactory loggerFactory, TimeSpan fileFlushInterval)
    {
        LoggerFactory = loggerFactory;
        FileFlushInterval = fileFlushInterval;
    }

    public ILoggerFactory LoggerFactory { get; }

    /// <summary>--file-flush-interval-msec.</summary>
    public TimeSpan FileFlushInterval { get; }
}
