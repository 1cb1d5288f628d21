using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Legate.Listeners.Kestrel;

/// <summary>
/// The service container handed to KestrelServerOptions. Cleartext listeners need only logging from it
/// (a full web application container cost ~9 MiB of idle memory per use); built once per logger factory
/// and shared by every listener and the admin server.
/// </summary>
internal static class KestrelServices
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ILoggerFactory, IServiceProvider> s_byFactory = new();

    public static IServiceProvider Create(ILoggerFactory loggerFactory) =>
        s_byFactory.GetValue(loggerFactory, static lf => new ServiceCollection().AddSingleton(lf).AddLogging().BuildServiceProvider());
}
