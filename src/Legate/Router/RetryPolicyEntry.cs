using Legate.Config;
using Proto = Envoy.Config.Route.V3;

namespace Legate.Router;

/// <summary>A RetryPolicy with Envoy's defaults filled in (num_retries 1, back-off 25 ms base, 10x max).</summary>
public sealed class RetryPolicyEntry
{
    private static readonly TimeSpan DefaultBaseInterval = TimeSpan.FromMilliseconds(25);

    private RetryPolicyEntry(Proto.RetryPolicy config, string[] retryOn, TimeSpan baseInterval, TimeSpan maxInterval)
    {
        Config = config;
        RetryOn = retryOn;
        NumRetries = config.NumRetries ?? 1;
        PerTryTimeout = Positive(config.PerTryTimeout);
        PerTryIdleTimeout = Positive(config.PerTryIdleTimeout);
        RetriableStatusCodes = [.. config.RetriableStatusCodes];
        HostSelectionRetryMaxAttempts = config.HostSelectionRetryMaxAttempts > 0 ? config.HostSelectionRetryMaxAttempts : 1;
        BaseInterval = baseInterval;
        MaxInterval = maxInterval;
    }

    public Proto.RetryPolicy Config { get; }

    /// <summary>retry_on tokens, trimmed (5xx, gateway-error, reset, connect-failure, ... and gRPC ones).</summary>
    public IReadOnlyList<string> RetryOn { get; }

    public uint NumRetries { get; }

    /// <summary>Null = no per-try timeout (only the route timeout applies).</summary>
    public TimeSpan? PerTryTimeout { get; }

    public TimeSpan? PerTryIdleTimeout { get; }

    public IReadOnlyList<uint> RetriableStatusCodes { get; }

    public long HostSelectionRetryMaxAttempts { get; }

    public TimeSpan BaseInterval { get; }

    public TimeSpan MaxInterval { get; }

    public static RetryPolicyEntry Compile(Proto.RetryPolicy config, string path)
    {
        var tokens = config.RetryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var baseInterval = DefaultBaseInterval;
        TimeSpan? maxInterval = null;
        if (config.RetryBackOff is { } backOff)
        {
            if (backOff.BaseInterval is null)
            {
                throw new ConfigException(ConfigPath.Join(path, "retry_back_off.base_interval"), "base_interval is required");
            }
            baseInterval = Max(backOff.BaseInterval.ToTimeSpan(), TimeSpan.FromMilliseconds(1));
            if (backOff.MaxInterval is not null)
            {
                maxInterval = Max(backOff.MaxInterval.ToTimeSpan(), TimeSpan.FromMilliseconds(1));
                if (maxInterval < baseInterval)
                {
                    throw new ConfigException(ConfigPath.Join(path, "retry_back_off.max_interval"),
                        "retry_policy.max_interval must greater than or equal to the base_interval");
                }
            }
        }
        return new RetryPolicyEntry(config, tokens, baseInterval, maxInterval ?? baseInterval * 10);
    }

    private static TimeSpan? Positive(Google.Protobuf.WellKnownTypes.Duration? duration)
    {
        if (duration is null)
        {
            return null;
        }
        var value = duration.ToTimeSpan();
        return value > TimeSpan.Zero ? value : null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
