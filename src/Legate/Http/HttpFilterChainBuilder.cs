using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.Collections;
using Legate.Config;
using Legate.Extensions;

namespace Legate.Http;

/// <summary>
/// Resolves an HCM's <c>http_filters</c> through the extension registry with Envoy's rules: unknown
/// types fail unless <c>is_optional</c>, <c>disabled</c> filters are skipped, the terminal filter
/// (router) must be last and the last filter must be terminal.
/// </summary>
public static class HttpFilterChainBuilder
{
    public const string Category = "envoy.filters.http";

    public static IHttpFilter[] Build(RepeatedField<HttpFilter> configs, ExtensionRegistry registry, HttpFilterContext context, string path)
    {
        var filters = new List<IHttpFilter>(configs.Count);
        IHttpFilterFactory? last = null;
        string? lastName = null;
        for (var i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var filterPath = ConfigPath.Index(path, i);
            if (config.ConfigTypeCase == HttpFilter.ConfigTypeOneofCase.ConfigDiscovery)
            {
                throw new ConfigException(ConfigPath.Join(filterPath, "config_discovery"), "extension config discovery is not supported yet");
            }
            var typeUrl = config.TypedConfig?.TypeUrl ?? string.Empty;
            var factory = typeUrl.Length > 0
                ? registry.FindByTypeUrl<IHttpFilterFactory>(Category, typeUrl)
                : registry.FindByName<IHttpFilterFactory>(Category, config.Name);
            if (factory is null)
            {
                if (config.IsOptional)
                {
                    continue;
                }
                throw new ConfigException(
                    filterPath,
                    "Didn't find a registered implementation for '" + config.Name + "' with type URL: '" + Google.Protobuf.WellKnownTypes.Any.GetTypeName(typeUrl) + "'");
            }
            if (last is { IsTerminal: true })
            {
                throw new ConfigException(
                    ConfigPath.Index(path, i - 1),
                    "terminal filter named " + lastName + " of type " + last.Name + " must be the last filter in a http filter chain.");
            }
            last = factory;
            lastName = config.Name;
            if (config.Disabled)
            {
                continue;
            }
            var message = config.TypedConfig is { } any && any.Value.Length + any.TypeUrl.Length > 0
                ? TypedConfig.Unpack(any, factory, ConfigPath.Join(filterPath, "typed_config"))
                : TypedConfig.Empty(factory);
            filters.Add(factory.Create(message, context, ConfigPath.Join(filterPath, "typed_config")));
        }
        if (last is null || !last.IsTerminal)
        {
            throw new ConfigException(
                configs.Count == 0 ? path : ConfigPath.Index(path, configs.Count - 1),
                last is null
                    ? "the http filter chain is empty; the last filter must be terminal (envoy.filters.http.router)"
                    : "non-terminal filter named " + lastName + " of type " + last.Name + " is the last filter in a http filter chain.");
        }
        return [.. filters];
    }
}
