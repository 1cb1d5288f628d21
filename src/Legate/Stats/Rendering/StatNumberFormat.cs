using System.Globalization;

namespace Legate.Stats.Rendering;

/// <summary>Doubles printed as Envoy's fmt calls print them.</summary>
public static class StatNumberFormat
{
    /// <summary>fmt "{}": shortest round-trip form, "nan" for NaN (quantile summaries, /clusters rates).</summary>
    public static string Shortest(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>fmt "{:.32g}" as used for Prometheus bucket bounds and sums: fixed point, no exponent.</summary>
    public static string Fixed(double value) =>
        value.ToString("0.################", CultureInfo.InvariantCulture);
}
