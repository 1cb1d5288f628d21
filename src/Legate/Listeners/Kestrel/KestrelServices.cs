using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// The service container Kestrel's options expect (its internal metrics and logging live there). Built
/// once from an empty web application that is never run; our listeners own their KestrelServers.
/// </summary>
internal static class KestrelServices
{
    public static IServiceProvider Create(ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton(loggerFactory);
        return builder.Build().Services;
    }
}
