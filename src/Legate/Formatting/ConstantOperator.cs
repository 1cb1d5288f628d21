using System.Text;

namespace Legate.Formatting;

/// <summary>A value fixed when the format is compiled (<c>%HOSTNAME%</c>, <c>%ENVIRONMENT(X)%</c>); null = missing.</summary>
internal sealed class ConstantOperator : FormatOperator
{
    private readonly string? _value;

    public ConstantOperator(string? value) => _value = value;

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        if (_value is null)
        {
            return false;
        }
        output.Append(_value);
        return true;
    }
}
