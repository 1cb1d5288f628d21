using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Legate.Config;
using Legate.Formatting;

namespace Legate.AccessLog;

/// <summary>The line format of a file/stdout/stderr logger, from its <c>log_format</c> or deprecated fields.</summary>
public static class AccessLogFormatterFactory
{
    /// <summary><c>log_format</c>, or Envoy's default format when it is not set.</summary>
    public static ISubstitutionFormatter FromLogFormat(SubstitutionFormatString? logFormat, string path) =>
        logFormat is null ? AccessLogFormats.DefaultFormatter : SubstitutionFormatStrings.Create(logFormat, path);

    /// <summary>The deprecated <c>format</c> string; empty means the default format.</summary>
    public static ISubstitutionFormatter FromText(string format, string path) =>
        format.Length == 0 ? AccessLogFormats.DefaultFormatter : SubstitutionFormatter.Parse(format, path);

    /// <summary>The deprecated <c>json_format</c> (all values strings) or <c>typed_json_format</c>.</summary>
    public static ISubstitutionFormatter FromJson(Struct format, string path, bool typed) =>
        JsonSubstitutionFormatter.Parse(format, path, omitEmptyValues: false, typed: typed);

    /// <summary>The shared destination for <paramref name="filePath"/>; an open failure is a config error at <paramref name="path"/>.</summary>
    public static AccessLogFile OpenFile(AccessLogContext context, string filePath, string path)
    {
        try
        {
            return AccessLogFileManager.For(context).GetOrCreate(filePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigException(path, "unable to open file '" + filePath + "': " + e.Message, e);
        }
    }
}
