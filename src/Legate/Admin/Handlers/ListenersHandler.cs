using System.Text;
using Envoy.Admin.V3;
using Envoy.Config.Core.V3;

namespace Legate.Admin.Handlers;

/// <summary>GET /listeners: <c>name::address</c> per listener (the bound port for port 0), or JSON envoy.admin.v3.Listeners.</summary>
internal static class ListenersHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/listeners", "print listener info", false, request =>
        {
            var listeners = ListenerSnapshot.Sorted(context);
            if (request.Get("format") == "json")
            {
                var result = new Envoy.Admin.V3.Listeners();
                foreach (var listener in listeners)
                {
                    var ep = listener.BoundEndPoint ?? listener.Definition.EndPoint;
                    result.ListenerStatuses.Add(new ListenerStatus
                    {
                        Name = listener.Name,
                        LocalAddress = new Address
                        {
                            SocketAddress = new SocketAddress { Address = ep.Address.ToString(), PortValue = (uint)ep.Port },
                        },
                    });
                }
                return AdminResponse.Json(AdminJson.Format(result));
            }
            var sb = new StringBuilder();
            foreach (var listener in listeners)
            {
                var ep = listener.BoundEndPoint ?? listener.Definition.EndPoint;
                sb.Append(listener.Name).Append("::").Append(ep.ToString()).Append('\n');
            }
            return AdminResponse.Text(sb.ToString());
        },
        [new("format", "File format to use", ["text", "json"])]);
}
