using Google.Protobuf;
using Legate.Extensions;

namespace Legate.Http;

/// <summary>Creates an HTTP filter from its typed_config (category <c>envoy.filters.http</c>).</summary>
public interface IHttpFilterFactory : IExtensionFactory
{
    /// <summary>True for filters that must be last in the chain (the router).</summary>
    bool IsTerminal { get; }

    IHttpFilter Create(IMessage config, HttpFilterContext context, string path);
}
