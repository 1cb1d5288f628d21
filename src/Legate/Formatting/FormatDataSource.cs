using Envoy.Config.Core.V3;
using Legate.Config;

namespace Legate.Formatting;

/// <summary>Reads a <c>DataSource</c> holding a format string (text_format_source) once, at config load.</summary>
internal static class FormatDataSource
{
    public static string Read(DataSource source, string path)
    {
        switch (source.SpecifierCase)
        {
            case DataSource.SpecifierOneofCase.InlineString:
                return source.InlineString;
            case DataSource.SpecifierOneofCase.InlineBytes:
                return source.InlineBytes.ToStringUtf8();
            case DataSource.SpecifierOneofCase.Filename:
                try
                {
                    return System.IO.File.ReadAllText(source.Filename);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ConfigException(ConfigPath.Join(path, "filename"), "unable to read file: " + source.Filename, e);
                }
            case DataSource.SpecifierOneofCase.EnvironmentVariable:
                return Environment.GetEnvironmentVariable(source.EnvironmentVariable)
                    ?? throw new ConfigException(ConfigPath.Join(path, "environment_variable"),
                        "Environment variable doesn't exist: " + source.EnvironmentVariable);
            default:
                throw new ConfigException(path, "no specifier set (filename, inline_bytes, inline_string or environment_variable)");
        }
    }
}
