using System.Text;

namespace Legate.Formatting;

/// <summary><c>%UNIQUE_ID%</c>: a fresh random UUID for every formatted line.</summary>
internal sealed class UniqueIdOperator : FormatOperator
{
    public static readonly UniqueIdOperator Instance = new();

    private UniqueIdOperator()
    {
    }

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        Span<char> buffer = stackalloc char[36];
        Guid.NewGuid().TryFormat(buffer, out var written);
        output.Append(buffer[..written]);
        return true;
    }
}
