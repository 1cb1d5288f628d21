using Google.Protobuf;
using Legate.AccessLog.Filters;
using Legate.Config;
using ExtensionRegistry = Legate.Extensions.ExtensionRegistry;
using Proto = Envoy.Config.Accesslog.V3;

namespace Legate.AccessLog;

/// <summary>Turns the <c>access_log</c> list of a listener/HCM/tcp_proxy into loggers, each behind its filter.</summary>
public static class AccessLogBuilder
{
    public const string Category = "envoy.access_loggers";

    /// <param name="configs">The <c>access_log</c> entries.</param>
    /// <param name="registry">Where the logger factories are registered.</param>
    /// <param name="context">Server-wide services (flush interval, files).</param>
    /// <param name="path">Field path of the list, e.g. <c>...http_connection_manager.access_log</c>.</param>
    public static IAccessLogger[] Build(IEnumerable<Proto.AccessLog> configs, ExtensionRegistry registry, AccessLogContext context, string path)
    {
        var loggers = new List<IAccessLogger>();
        var i = 0;
        foreach (var config in configs)
        {
            loggers.Add(BuildOne(config, registry, context, ConfigPath.Index(path, i)));
            i++;
        }
        return [.. loggers];
    }

    private static IAccessLogger BuildOne(Proto.AccessLog config, ExtensionRegistry registry, AccessLogContext context, string path)
    {
        var typedPath = ConfigPath.Join(path, "typed_config");
        IAccessLoggerFactory factory;
        IMessage message;
        if (config.TypedConfig is { } any)
        {
            factory = registry.FindByTypeUrl<IAccessLoggerFactory>(Category, any.TypeUrl)
                ?? throw new ConfigException(typedPath, "unknown access logger type \"" + any.TypeUrl + "\"");
            message = TypedConfig.Unpack(any, factory, typedPath);
        }
        else
        {
            // Envoy still resolves a logger by name alone and gives it an empty config.
            factory = registry.FindByName<IAccessLoggerFactory>(Category, config.Name)
                ?? throw new ConfigException(ConfigPath.Join(path, "name"), "unknown access logger \"" + config.Name + "\"");
            message = TypedConfig.Empty(factory);
        }
        var logger = factory.Create(message, context, typedPath);
        return config.Filter is null
            ? logger
            : new FilteredAccessLogger(AccessLogFilterBuilder.Build(config.Filter, ConfigPath.Join(path, "filter")), logger);
    }
}
