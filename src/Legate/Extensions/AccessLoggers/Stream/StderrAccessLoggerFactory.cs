using Envoy.Extensions.AccessLoggers.Stream.V3;
using Google.Protobuf;
using Legate.AccessLog;
using Legate.Config;

namespace Legate.Extensions.AccessLoggers.Stream;

/// <summary><c>envoy.access_loggers.stderr</c>: formatted lines on the process's standard error.</summary>
public sealed class StderrAccessLoggerFactory : IAccessLoggerFactory
{
    public string Name => "envoy.access_loggers.stderr";

    public string Category => AccessLogBuilder.Category;

    public string ConfigTypeName => "envoy.extensions.access_loggers.stream.v3.StderrAccessLog";

    public MessageParser ConfigParser => StderrAccessLog.Parser;

    public IAccessLogger Create(IMessage config, AccessLogContext context, string path)
    {
        var stderr = (StderrAccessLog)config;
        var formatter = AccessLogFormatterFactory.FromLogFormat(stderr.LogFormat, ConfigPath.Join(path, "log_format"));
        return new FormattedAccessLogger(formatter, AccessLogFormatterFactory.OpenFile(context, AccessLogFile.StandardErrorPath, path));
    }
}
