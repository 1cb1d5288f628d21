using Google.Protobuf;
using Legate.Http;
using RouterProto = Envoy.Extensions.Filters.Http.Router.V3.Router;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>Registers the router under <c>envoy.filters.http.router</c>.</summary>
internal sealed class RouterFilterFactory : IHttpFilterFactory
{
    public string Name => "envoy.filters.http.router";

    public string Category => "envoy.filters.http";

    public string ConfigTypeName => "envoy.extensions.filters.http.router.v3.Router";

    public MessageParser ConfigParser => RouterProto.Parser;

    public bool IsTerminal => true;

    public IHttpFilter Create(IMessage config, HttpFilterContext context, string path)
    {
        var router = (RouterProto)config;
        return new RouterFilter(context.Server, router.SuppressEnvoyHeaders);
    }
}
