using Envoy.Extensions.AccessLoggers.File.V3;
using Google.Protobuf;
using Legate.AccessLog;
using Legate.Config;
using Legate.Formatting;

namespace Legate.Extensions.AccessLoggers.File;

/// <summary><c>envoy.access_loggers.file</c>: formatted lines appended to a file (or /dev/stdout, /dev/stderr).</summary>
public sealed class FileAccessLoggerFactory : IAccessLoggerFactory
{
    public string Name => "envoy.access_loggers.file";

    public string Category => AccessLogBuilder.Category;

    public string ConfigTypeName => "envoy.extensions.access_loggers.file.v3.FileAccessLog";

    public MessageParser ConfigParser => FileAccessLog.Parser;

    public IAccessLogger Create(IMessage config, AccessLogContext context, string path)
    {
        var file = (FileAccessLog)config;
        var filePath = ConfigPath.Join(path, "path");
        if (file.Path.Length == 0)
        {
            throw new ConfigException(filePath, "value length must be at least 1 characters");
        }
        ISubstitutionFormatter formatter = file.AccessLogFormatCase switch
        {
            FileAccessLog.AccessLogFormatOneofCase.Format => AccessLogFormatterFactory.FromText(file.Format, ConfigPath.Join(path, "format")),
            FileAccessLog.AccessLogFormatOneofCase.JsonFormat =>
                AccessLogFormatterFactory.FromJson(file.JsonFormat, ConfigPath.Join(path, "json_format"), typed: false),
            FileAccessLog.AccessLogFormatOneofCase.TypedJsonFormat =>
                AccessLogFormatterFactory.FromJson(file.TypedJsonFormat, ConfigPath.Join(path, "typed_json_format"), typed: true),
            FileAccessLog.AccessLogFormatOneofCase.LogFormat =>
                AccessLogFormatterFactory.FromLogFormat(file.LogFormat, ConfigPath.Join(path, "log_format")),
            _ => AccessLogFormats.DefaultFormatter,
        };
        return new FormattedAccessLogger(formatter, AccessLogFormatterFactory.OpenFile(context, file.Path, filePath));
    }
}
