using System.Collections.Concurrent;
using System.Globalization;

namespace Legate.Http;

/// <summary>
/// Decimal text of millisecond values for headers written on every request
/// (<c>x-envoy-upstream-service-time</c>, <c>x-envoy-expected-rq-timeout-ms</c>) without a string per request.
/// </summary>
internal static class MillisecondsText
{
    private const int Small = 1024;
    private const int MaxCached = 1024;
    private static readonly string?[] s_small = new string?[Small];
    private static readonly ConcurrentDictionary<long, string> s_other = new();

    public static string Of(long ms)
    {
        if ((ulong)ms < Small)
        {
            return s_small[ms] ??= ms.ToString(CultureInfo.InvariantCulture);
        }
        if (s_other.TryGetValue(ms, out var text))
        {
            return text;
        }
        text = ms.ToString(CultureInfo.InvariantCulture);
        if (s_other.Count < MaxCached)
        {
            s_other.TryAdd(ms, text);
        }
        return text;
    }
}
