using Microsoft.AspNetCore.Http;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// A request's context as the listener sees it. Kestrel keeps it with one connection (reused for the
/// connection's requests, or for one HTTP/2 connection's pooled streams), so what belongs to the
/// connection is looked up on its first request only.
/// </summary>
internal sealed class ConnectionRequest(DefaultHttpContext http)
{
    public DefaultHttpContext Http { get; } = http;

    /// <summary>The downstream connection the listener attached, once the first request has looked it up.</summary>
    public Legate.Http.DownstreamConnection? Downstream { get; set; }
}
