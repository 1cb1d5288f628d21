using System.Globalization;
using System.Text;
using Legate.Config;
using Core = Envoy.Config.Core.V3;

namespace Legate.Router;

/// <summary>Reads a direct_response body (DataSource) once, at build time.</summary>
internal static class DirectResponseBody
{
    public static byte[] Load(Core.DataSource? source, uint maxBytes, string path)
    {
        if (source is null)
        {
            return [];
        }
        byte[] body;
        switch (source.SpecifierCase)
        {
            case Core.DataSource.SpecifierOneofCase.InlineString:
                body = Encoding.UTF8.GetBytes(source.InlineString);
                break;
            case Core.DataSource.SpecifierOneofCase.InlineBytes:
                body = source.InlineBytes.ToByteArray();
                break;
            case Core.DataSource.SpecifierOneofCase.Filename:
                var file = ConfigPath.Join(path, "filename");
                if (source.Filename.Length == 0)
                {
                    throw new ConfigException(file, "filename must not be empty");
                }
                try
                {
                    var info = new FileInfo(source.Filename);
                    if (info.Exists && info.Length > maxBytes)
                    {
                        throw new ConfigException(file, Describe("file", info.Length, maxBytes));
                    }
                    body = File.ReadAllBytes(source.Filename);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ConfigException(file, "cannot read file '" + source.Filename + "': " + e.Message, e);
                }
                break;
            case Core.DataSource.SpecifierOneofCase.EnvironmentVariable:
                var value = Environment.GetEnvironmentVariable(source.EnvironmentVariable)
                    ?? throw new ConfigException(ConfigPath.Join(path, "environment_variable"),
                        "environment variable '" + source.EnvironmentVariable + "' does not exist");
                body = Encoding.UTF8.GetBytes(value);
                break;
            default:
                return [];
        }
        if (body.Length > maxBytes)
        {
            throw new ConfigException(path, Describe("response body", body.Length, maxBytes));
        }
        return body;
    }

    private static string Describe(string what, long size, uint max) =>
        what + " size is " + size.ToString(CultureInfo.InvariantCulture) + " bytes; maximum is " + max.ToString(CultureInfo.InvariantCulture);
}
