using Legate.Http;

namespace Legate.Listeners;

/// <summary>A network filter that serves HTTP; the listener sizes Kestrel's limits from its settings.</summary>
public interface IHttpNetworkFilter : INetworkFilter
{
    HttpConnectionManagerSettings Settings { get; }

    /// <summary>The route table source; the listener manager waits for it while the listener warms (RDS).</summary>
    IRouteConfigProvider Routes { get; }
}
