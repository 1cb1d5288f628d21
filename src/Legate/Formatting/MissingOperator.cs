using System.Text;

namespace Legate.Formatting;

/// <summary>
/// An operator Envoy knows whose data Legate does not record yet (dynamic metadata, filter state, TLS peer
/// details): accepted so Envoy configs load, always rendered as missing (<c>-</c> / null).
/// </summary>
internal sealed class MissingOperator : FormatOperator
{
    public static readonly MissingOperator Instance = new();

    private MissingOperator()
    {
    }

    public override bool TryAppend(in FormatContext context, StringBuilder output) => false;
}
