using Legate.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// The one request entry point of a listener's Kestrel server: finds the connection manager of the
/// connection's filter chain and hands it the request. Reuses the HttpContext per connection the way
/// ASP.NET's hosting layer does.
/// </summary>
internal sealed class HttpApplication : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<HttpContext> container)
        {
            if (container.HostContext is DefaultHttpContext existing)
            {
                existing.Initialize(contextFeatures);
                return existing;
            }
            var created = new DefaultHttpContext(contextFeatures);
            container.HostContext = created;
            return created;
        }
        return new DefaultHttpContext(contextFeatures);
    }

    public Task ProcessRequestAsync(HttpContext context)
    {
        var connection = context.Features.Get<DownstreamConnection>();
        if (connection is null)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        }
        return connection.ConnectionManager.HandleAsync(context, connection);
    }

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext d)
        {
            d.Uninitialize();
        }
    }
}
