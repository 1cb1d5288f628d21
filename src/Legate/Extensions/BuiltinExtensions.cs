using Legate.AccessLog;
using Legate.Extensions.Filters.Http.Router;
using Legate.Extensions.Filters.Network.HttpConnectionManager;
using Legate.Extensions.Filters.Network.TcpProxy;

namespace Legate.Extensions;

/// <summary>The one place where built-in extensions are registered; an extension = one folder + one line here.</summary>
internal static class BuiltinExtensions
{
    public static void RegisterAll(ExtensionRegistry registry)
    {
        registry.Register(new HttpConnectionManagerFactory());
        registry.Register(new TcpProxyFactory());
        registry.Register(new RouterFilterFactory());
        AccessLogRegistration.RegisterAll(registry);
    }
}
