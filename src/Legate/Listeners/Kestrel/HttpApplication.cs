using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// The request entry point of a bare KestrelServer (listeners and admin): one delegate of ours, with
/// the request's context reused per connection the way ASP.NET's hosting layer does.
/// </summary>
internal sealed class HttpApplication(Func<ConnectionRequest, Task> handle) : IHttpApplication<ConnectionRequest>
{
    public HttpApplication(Func<HttpContext, Task> handle)
        : this(request => handle(request.Http))
    {
    }

    public ConnectionRequest CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<ConnectionRequest> container)
        {
            if (container.HostContext is { } existing)
            {
                existing.Http.Initialize(contextFeatures);
                return existing;
            }
            var created = new ConnectionRequest(new DefaultHttpContext(contextFeatures));
            container.HostContext = created;
            return created;
        }
        return new ConnectionRequest(new DefaultHttpContext(contextFeatures));
    }

    public Task ProcessRequestAsync(ConnectionRequest context) => handle(context);

    public void DisposeContext(ConnectionRequest context, Exception? exception) => context.Http.Uninitialize();
}
