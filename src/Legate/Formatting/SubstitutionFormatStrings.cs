using Envoy.Config.Core.V3;
using Legate.Config;

namespace Legate.Formatting;

/// <summary>Compiles Envoy's <c>SubstitutionFormatString</c> (text_format, text_format_source, json_format).</summary>
public static class SubstitutionFormatStrings
{
    public const string TextContentType = "text/plain";
    public const string JsonContentType = "application/json";

    /// <param name="config">The message.</param>
    /// <param name="path">Its field path, for errors.</param>
    public static ISubstitutionFormatter Create(SubstitutionFormatString config, string path)
    {
        if (config.Formatters.Count > 0)
        {
            throw new ConfigException(ConfigPath.Index(ConfigPath.Join(path, "formatters"), 0),
                "unsupported formatter extension \"" + config.Formatters[0].Name + "\"");
        }
        switch (config.FormatCase)
        {
            case SubstitutionFormatString.FormatOneofCase.TextFormat:
                return SubstitutionFormatter.Parse(config.TextFormat, ConfigPath.Join(path, "text_format"), config.OmitEmptyValues);
            case SubstitutionFormatString.FormatOneofCase.TextFormatSource:
                var sourcePath = ConfigPath.Join(path, "text_format_source");
                return SubstitutionFormatter.Parse(FormatDataSource.Read(config.TextFormatSource, sourcePath), sourcePath, config.OmitEmptyValues);
            case SubstitutionFormatString.FormatOneofCase.JsonFormat:
                return JsonSubstitutionFormatter.Parse(config.JsonFormat, ConfigPath.Join(path, "json_format"), config.OmitEmptyValues,
                    typed: true, sortKeys: config.JsonFormatOptions?.SortProperties ?? false);
            default:
                throw new ConfigException(path, "one of text_format, text_format_source or json_format is required");
        }
    }

    /// <summary>The content type a local reply using this format gets: <c>content_type</c>, else by format kind.</summary>
    public static string ContentType(SubstitutionFormatString config)
    {
        if (config.ContentType.Length > 0)
        {
            return config.ContentType;
        }
        return config.FormatCase == SubstitutionFormatString.FormatOneofCase.JsonFormat ? JsonContentType : TextContentType;
    }
}
