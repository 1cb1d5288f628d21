using Legate.Extensions;
using Legate.Extensions.AccessLoggers.File;
using Legate.Extensions.AccessLoggers.Stream;

namespace Legate.AccessLog;

/// <summary>Registers the built-in access loggers (file, stdout, stderr).</summary>
public static class AccessLogRegistration
{
    public static void RegisterAll(ExtensionRegistry registry)
    {
        registry.Register(new FileAccessLoggerFactory());
        registry.Register(new StdoutAccessLoggerFactory());
        registry.Register(new StderrAccessLoggerFactory());
    }
}
