using Envoy.Config.Core.V3;
using Legate.Listeners;

namespace Legate.Admin.Handlers;

/// <summary>
/// POST /drain_listeners: stop accepting on every listener (or only inbound ones with ?inboundonly).
/// ?graceful first marks the server as draining so connection managers close connections, then the
/// listeners stop after the drain time; without it they stop now and in-flight requests get the drain time.
/// </summary>
internal static class DrainListenersHandler
{
    public static AdminHandler Create(AdminContext context) =>
        AdminHandler.Sync("/drain_listeners", "drain listeners", true, request =>
        {
            var inboundOnly = request.Has("inboundonly");
            var graceful = request.Has("graceful");
            var targets = new List<ActiveListener>();
            foreach (var listener in ListenerSnapshot.Sorted(context))
            {
                if (!inboundOnly || listener.Definition.Config.TrafficDirection == TrafficDirection.Inbound)
                {
                    targets.Add(listener);
                }
            }
            _ = DrainAsync(context, targets, graceful);
            return AdminResponse.Ok();
        },
        [
            new("graceful", "When draining listeners, enter a graceful drain period prior to closing listeners. This behaviour and duration is configurable via server options or CLI"),
            new("skip_exit", "When draining listeners, do not exit after the drain period. This must be used with graceful"),
            new("inboundonly", "Drains all inbound listeners. traffic_direction field in envoy_v3_api_msg_config.listener.v3.Listener is used to determine whether a listener is inbound or outbound."),
        ]);

    private static async Task DrainAsync(AdminContext context, List<ActiveListener> listeners, bool graceful)
    {
        var drainTime = context.DrainTime;
        if (graceful)
        {
            context.Server.Context.Draining = true;
            await Task.Delay(drainTime).ConfigureAwait(false);
            drainTime = TimeSpan.Zero;
        }
        var stops = new List<Task>(listeners.Count);
        foreach (var listener in listeners)
        {
            stops.Add(listener.StopAsync(drainTime));
        }
        await Task.WhenAll(stops).ConfigureAwait(false);
    }
}
