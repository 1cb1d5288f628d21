using Microsoft.Extensions.Logging;

namespace Legate.Logging;

public static class EnvoyLoggingBuilderExtensions
{
    /// <summary>
    /// Makes <paramref name="provider"/> the only logging provider. The factory's own minimum is lowered to
    /// trace because the provider does all level filtering (and its levels change at runtime).
    /// </summary>
    public static ILoggingBuilder AddEnvoyLogging(this ILoggingBuilder builder, EnvoyLoggerProvider provider)
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddProvider(provider);
        return builder;
    }
}
