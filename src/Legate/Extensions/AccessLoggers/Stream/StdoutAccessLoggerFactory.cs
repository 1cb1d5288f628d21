using Envoy.Extensions.AccessLoggers.Stream.V3;
using Google.Protobuf;
using Legate.AccessLog;
using Legate.Config;

namespace Legate.Extensions.AccessLoggers.Stream;

/// <summary><c>envoy.access_loggers.stdout</c>: formatted lines on the process's standard output.</summary>
public sealed class StdoutAccessLoggerFactory : IAccessLoggerFactory
{
    public string Name => "envoy.access_loggers.stdout";

    public string Category => AccessLogBuilder.Category;

    public string ConfigTypeName => "envoy.extensions.access_loggers.stream.v3.StdoutAccessLog";

    public MessageParser ConfigParser => StdoutAccessLog.Parser;

    public IAccessLogger Create(IMessage config, AccessLogContext context, string path)
    {
        var stdout = (StdoutAccessLog)config;
        var formatter = AccessLogFormatterFactory.FromLogFormat(stdout.LogFormat, ConfigPath.Join(path, "log_format"));
        return new FormattedAccessLogger(formatter, AccessLogFormatterFactory.OpenFile(context, AccessLogFile.StandardOutputPath, path));
    }
}
