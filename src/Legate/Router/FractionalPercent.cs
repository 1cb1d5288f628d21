using Proto = Envoy.Type.V3;

namespace Legate.Router;

/// <summary>A compiled FractionalPercent: enabled when random % denominator &lt; numerator.</summary>
public readonly record struct FractionalPercent(uint Numerator, uint Denominator)
{
    public static FractionalPercent From(Proto.FractionalPercent? percent)
    {
        if (percent is null)
        {
            return new FractionalPercent(0, 100);
        }
        var denominator = percent.Denominator switch
        {
            Proto.FractionalPercent.Types.DenominatorType.TenThousand => 10_000u,
            Proto.FractionalPercent.Types.DenominatorType.Million => 1_000_000u,
            _ => 100u,
        };
        return new FractionalPercent(percent.Numerator, denominator);
    }

    public bool Enabled(ulong randomValue) => randomValue % Denominator < Numerator;
}
