using Envoy.Config.Bootstrap.V3;

namespace Legate.Config;

/// <summary>
/// Loads the bootstrap from Envoy's <c>-c/--config-path</c> and <c>--config-yaml</c>, then validates it
/// with <see cref="BootstrapValidator"/>.
/// </summary>
public static class ConfigLoader
{
    /// <summary>
    /// <paramref name="configPath"/> is parsed by suffix (see <see cref="ConfigParser.ParseFile"/>).
    /// <paramref name="configYaml"/> alone is the whole bootstrap; with a path it is parsed on its own and
    /// protobuf-merged on top (set scalars overwrite, messages merge, repeated fields append).
    /// </summary>
    /// <exception cref="ConfigException">anything wrong, with the field path where there is one.</exception>
    public static Bootstrap LoadBootstrap(string? configPath, string? configYaml, ConfigLoadOptions options)
    {
        var hasPath = !string.IsNullOrEmpty(configPath);
        var hasYaml = !string.IsNullOrEmpty(configYaml);
        if (!hasPath && !hasYaml)
        {
            throw new ConfigException("", "At least one of --config-path or --config-yaml should be non-empty");
        }
        var bootstrap = hasPath ? ConfigParser.ParseFile<Bootstrap>(configPath!, options) : new Bootstrap();
        if (hasYaml)
        {
            bootstrap.MergeFrom(ConfigParser.ParseYaml<Bootstrap>(configYaml!, options));
        }
        BootstrapValidator.Validate(bootstrap);
        return bootstrap;
    }
}
