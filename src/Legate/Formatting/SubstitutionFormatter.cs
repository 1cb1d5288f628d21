using System.Text;

namespace Legate.Formatting;

/// <summary>
/// A compiled text format string (<c>[%START_TIME%] "%REQ(:METHOD)%"...</c>): literals and operators in
/// order; a missing value prints <c>-</c>, or nothing with <c>omit_empty_values</c>.
/// </summary>
public sealed class SubstitutionFormatter : ISubstitutionFormatter
{
    private readonly FormatOperator[] _operators;
    private readonly bool _omitEmptyValues;
    private readonly string? _literal;

    private SubstitutionFormatter(FormatOperator[] operators, bool omitEmptyValues)
    {
        _operators = operators;
        _omitEmptyValues = omitEmptyValues;
        if (operators.Length == 1 && operators[0] is LiteralOperator literal)
        {
            _literal = literal.Text;
        }
    }

    /// <summary>Compiles <paramref name="format"/>; throws <see cref="Config.ConfigException"/> at <paramref name="path"/> when invalid.</summary>
    public static SubstitutionFormatter Parse(string format, string path, bool omitEmptyValues = false) =>
        new(FormatParser.Parse(format, path), omitEmptyValues);

    public bool IsLiteral => _literal is not null;

    public void Format(in FormatContext context, StringBuilder output)
    {
        if (_literal is not null)
        {
            output.Append(_literal);
            return;
        }
        foreach (var op in _operators)
        {
            if (!op.TryAppend(context, output) && !_omitEmptyValues)
            {
                output.Append('-');
            }
        }
    }

    public string Format(in FormatContext context)
    {
        if (_literal is not null)
        {
            return _literal;
        }
        var output = new StringBuilder(128);
        Format(context, output);
        return output.ToString();
    }
}
