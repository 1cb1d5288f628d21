using System.Globalization;
using System.Text;

namespace Legate.Formatting;

/// <summary>Culture-free integer output into a StringBuilder without intermediate strings.</summary>
internal static class NumberWriter
{
    public static void Append(StringBuilder output, long value)
    {
        Span<char> buffer = stackalloc char[20];
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        output.Append(buffer[..written]);
    }

    /// <summary>Appends <paramref name="value"/> (non-negative) left-padded with <paramref name="pad"/> to <paramref name="width"/>.</summary>
    public static void AppendPadded(StringBuilder output, long value, int width, char pad = '0')
    {
        Span<char> buffer = stackalloc char[20];
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        for (var i = written; i < width; i++)
        {
            output.Append(pad);
        }
        output.Append(buffer[..written]);
    }
}
