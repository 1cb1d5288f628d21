using Google.Protobuf;
using Legate.Extensions;

namespace Legate.Listeners;

/// <summary>Creates a network filter from its typed_config (category <c>envoy.filters.network</c>).</summary>
public interface INetworkFilterFactory : IExtensionFactory
{
    /// <summary>True for filters that take over the connection (http_connection_manager, tcp_proxy).</summary>
    bool IsTerminal { get; }

    INetworkFilter Create(IMessage config, NetworkFilterContext context, string path);
}
