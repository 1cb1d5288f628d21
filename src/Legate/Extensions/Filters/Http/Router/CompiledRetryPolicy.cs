using System.Runtime.CompilerServices;
using Legate.Router;

namespace Legate.Extensions.Filters.Http.Router;

/// <summary>
/// The router's view of a route's <see cref="RetryPolicyEntry"/>: retry_on as flags, status codes as an
/// array and the host predicate understood, computed once per policy object rather than per request.
/// </summary>
internal sealed class CompiledRetryPolicy
{
    private const string PreviousHostsName = "envoy.retry_host_predicates.previous_hosts";
    private const string PreviousHostsType = "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate";

    private static readonly ConditionalWeakTable<RetryPolicyEntry, CompiledRetryPolicy> s_compiled = new();

    /// <summary>Used when only x-envoy-retry-* request headers ask for retries.</summary>
    public static readonly CompiledRetryPolicy HeadersOnly = new();

    private CompiledRetryPolicy()
    {
        BaseInterval = TimeSpan.FromMilliseconds(25);
        MaxInterval = TimeSpan.FromMilliseconds(250);
        NumRetries = 1;
        HostSelectionMaxAttempts = 1;
    }

    private CompiledRetryPolicy(RetryPolicyEntry entry)
    {
        On = RetryOnTokens.Parse(entry.RetryOn);
        NumRetries = entry.NumRetries;
        PerTryTimeout = entry.PerTryTimeout;
        var codes = new int[entry.RetriableStatusCodes.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (int)entry.RetriableStatusCodes[i];
        }
        RetriableStatusCodes = codes;
        BaseInterval = entry.BaseInterval;
        MaxInterval = entry.MaxInterval;
        HostSelectionMaxAttempts = entry.HostSelectionRetryMaxAttempts;
        foreach (var predicate in entry.Config.RetryHostPredicate)
        {
            var typeUrl = predicate.TypedConfig?.TypeUrl ?? string.Empty;
            if (predicate.Name == PreviousHostsName || typeUrl.EndsWith(PreviousHostsType, StringComparison.Ordinal))
            {
                AvoidPreviousHosts = true;
            }
        }
    }

    public RetryOn On { get; }

    public uint NumRetries { get; }

    public TimeSpan? PerTryTimeout { get; }

    public int[] RetriableStatusCodes { get; } = [];

    public TimeSpan BaseInterval { get; }

    public TimeSpan MaxInterval { get; }

    /// <summary>The previous_hosts retry host predicate is configured: retries prefer hosts not tried yet.</summary>
    public bool AvoidPreviousHosts { get; }

    public long HostSelectionMaxAttempts { get; }

    public static CompiledRetryPolicy For(RetryPolicyEntry entry) =>
        s_compiled.GetValue(entry, static e => new CompiledRetryPolicy(e));
}
