namespace Legate.Http;

/// <summary>
/// A response that starts before the downstream request has ended (a local reply to a request still
/// sending, an upstream answering before the whole body): Envoy counts
/// <c>downstream_rq_response_before_rq_complete</c> and, over HTTP/1, closes the connection after the
/// response (<c>connection: close</c>), since the rest of the request would otherwise be read as the next one.
/// </summary>
internal static class EarlyResponse
{
    /// <summary>Call before the response head is sent.</summary>
    public static void Mark(HttpStream stream)
    {
        stream.ConnectionManager.Stats.DownstreamRqResponseBeforeRqComplete.Inc();
        if (!HttpProtocol.IsHttp2(stream.Context.Request.Protocol))
        {
            stream.Context.Response.Headers.Connection = "close";
        }
    }
}
