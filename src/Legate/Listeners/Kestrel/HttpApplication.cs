using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// The request entry point of a bare KestrelServer (listeners and admin): one delegate of ours, with
/// the HttpContext reused per connection the way ASP.NET's hosting layer does.
/// </summary>
internal sealed class HttpApplication(Func<HttpContext, Task> handle) : IHttpApplication<HttpContext>
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

    public Task ProcessRequestAsync(HttpContext context) => handle(context);

    public void DisposeContext(HttpContext context, Exception? exception)
    {
        if (context is DefaultHttpContext d)
        {
            d.Uninitialize();
        }
    }
}
