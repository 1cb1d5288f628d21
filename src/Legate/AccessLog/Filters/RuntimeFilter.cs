using System.Globalization;
using Legate.Formatting;

namespace Legate.AccessLog.Filters;

/// <summary>
/// <c>runtime_filter</c>: samples a fraction of streams. Without a runtime layer the key is never overridden and
/// <c>percent_sampled</c> (default 0%) applies. Unless <c>use_independent_randomness</c>, the sample is taken from
/// the x-request-id (its first 8 hex digits), so every log of one request agrees, as in Envoy.
/// </summary>
internal sealed class RuntimeFilter : IAccessLogFilter
{
    private readonly uint _numerator;
    private readonly uint _denominator;
    private readonly bool _independent;

    public RuntimeFilter(uint numerator, uint denominator, bool independentRandomness)
    {
        _numerator = numerator;
        _denominator = denominator;
        _independent = independentRandomness;
    }

    public bool Evaluate(in FormatContext context)
    {
        if (_numerator >= _denominator)
        {
            return true;
        }
        ulong random;
        if (_independent || !TryRequestIdInteger(context, out random))
        {
            random = (ulong)Random.Shared.NextInt64(long.MaxValue);
        }
        return random % _denominator < _numerator;
    }

    private static bool TryRequestIdInteger(in FormatContext context, out ulong value)
    {
        var id = HeaderLookup.First(context.RequestHeaders, "x-request-id");
        value = 0;
        return id is { Length: >= 8 } && ulong.TryParse(id.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
