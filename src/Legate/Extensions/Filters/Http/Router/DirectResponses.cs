using Legate.Http;
using Legate.Router;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>The router's answers that involve no upstream: direct_response and redirect routes.</summary>
internal static class DirectResponses
{
    public static async Task SendDirectResponseAsync(HttpStream stream, RouteEntry route)
    {
        var response = stream.Context.Response;
        var status = route.DirectResponseStatus;
        response.StatusCode = status;
        stream.Info.ResponseCode = status;
        stream.Info.ResponseCodeDetails = "direct_response";
        var body = route.DirectResponseBody;
        if (body.Length > 0)
        {
            response.ContentType = "text/plain";
            response.ContentLength = body.Length;
        }
        if (route.DirectResponseAddsLocation)
        {
            response.Headers[HeaderNames.Location] = route.BuildRedirectLocation(stream.RouteRequest);
        }
        stream.ConnectionManager.PrepareResponseHeaders(stream);
        if (body.Length > 0 && !HttpMethods.IsHead(stream.Context.Request.Method))
        {
            stream.Info.BytesSent += body.Length;
            await response.Body.WriteAsync(body);
        }
    }

    public static void SendRedirect(HttpStream stream, RouteEntry route)
    {
        var response = stream.Context.Response;
        response.StatusCode = route.RedirectResponseCode;
        stream.Info.ResponseCode = route.RedirectResponseCode;
        stream.Info.ResponseCodeDetails = "direct_response";
        response.Headers[HeaderNames.Location] = route.BuildRedirectLocation(stream.RouteRequest);
        stream.ConnectionManager.PrepareResponseHeaders(stream);
    }
}
