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

    /// <summary>fmt "{:g}" (printf %g, 6 significant digits): bucket bounds in /stats text, e.g. 3600000 as "3.6e+06".</summary>
    public static string General(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return Shortest(value);
        }
        if (value == 0)
        {
            return "0";
        }
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (exponent < -4 || exponent >= 6)
        {
            return value.ToString("0.#####e+00", CultureInfo.InvariantCulture);
        }
        return Math.Round(value, Math.Max(0, 5 - exponent)).ToString("0.#####", CultureInfo.InvariantCulture);
    }
}
