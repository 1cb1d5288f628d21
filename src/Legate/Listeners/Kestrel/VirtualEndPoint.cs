using System.Net;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// A pseudo endpoint that never binds a socket. Kestrel builds its HTTP pipelines for it, and the real
/// listener socket hands connections to those pipelines after sniffing the protocol.
/// </summary>
internal sealed class VirtualEndPoint(string name) : EndPoint
{
    public override string ToString() => "virtual:" + name;
}
