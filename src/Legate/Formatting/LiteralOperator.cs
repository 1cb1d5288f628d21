using System.Text;

namespace Legate.Formatting;

/// <summary>Literal text between operators (with <c>%%</c> already turned into <c>%</c>).</summary>
internal sealed class LiteralOperator : FormatOperator
{
    public LiteralOperator(string text) => Text = text;

    public string Text { get; }

    public override bool TryAppend(in FormatContext context, StringBuilder output)
    {
        output.Append(Text);
        return true;
    }
}
