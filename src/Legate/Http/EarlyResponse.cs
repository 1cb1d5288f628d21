using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Http;

/// <summary>
/// A response that starts before the downstream request has ended (a local reply to a request still
/// sending, an upstream answering before the whole body): Envoy counts
/// <c>downstream_rq_response_before_rq_complete</c> and, over HTTP/1, closes the connection after the
/// response (<c>connection: close</c>), since the rest of the request would otherwise be read as the next one.
/// </summary>
internal static class EarlyResponse
{
    /// <summary>
    /// Whether the request goes on after its headers: a body follows, or, for an HTTP/1.1 upgrade, the tunnel.
    /// Envoy's request is complete at its headers otherwise.
    /// </summary>
    public static bool RequestContinuesAfterHeaders(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
        || context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;

    /// <summary>Call before the response head is sent. Marks a response once however many reasons apply.</summary>
    public static void Mark(HttpStream stream)
    {
        if (stream.RespondedEarly)
        {
            return;
        }
        stream.RespondedEarly = true;
        stream.ConnectionManager.Stats.DownstreamRqResponseBeforeRqComplete.Inc();
        if (!HttpProtocol.IsHttp2(stream.Context.Request.Protocol))
        {
            stream.Context.Response.Headers.Connection = "close";
        }
    }

    /// <summary>
    /// A response started before the router took the request (a local reply, a direct response or a redirect)
    /// is early when the request goes on after its headers: Envoy sends those replies from its header
    /// callbacks, before any of the body is decoded.
    /// </summary>
    public static void MarkIfRequestUntaken(HttpStream stream)
    {
        if (!stream.RequestTaken && RequestContinuesAfterHeaders(stream.Context))
        {
            Mark(stream);
        }
    }
}
