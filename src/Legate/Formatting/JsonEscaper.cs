using System.Buffers;
using System.Text;

namespace Legate.Formatting;

/// <summary>JSON string escaping into a StringBuilder (quotes, backslashes and control characters), as Envoy's sanitizer does.</summary>
internal static class JsonEscaper
{
    private const string Hex = "0123456789abcdef";

    public static bool NeedsEscaping(char c) => c < 0x20 || c == '"' || c == '\\';

    /// <summary>Appends <paramref name="value"/> quoted and escaped.</summary>
    public static void AppendQuoted(StringBuilder output, ReadOnlySpan<char> value)
    {
        output.Append('"');
        AppendEscaped(output, value);
        output.Append('"');
    }

    public static void AppendEscaped(StringBuilder output, ReadOnlySpan<char> value)
    {
        var run = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!NeedsEscaping(c))
            {
                continue;
            }
            output.Append(value[run..i]);
            run = i + 1;
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                default:
                    output.Append("\\u00").Append(Hex[c >> 4]).Append(Hex[c & 0xf]);
                    break;
            }
        }
        output.Append(value[run..]);
    }

    /// <summary>Escapes, in place, what was appended to <paramref name="output"/> since <paramref name="start"/>.</summary>
    public static void EscapeTail(StringBuilder output, int start)
    {
        var length = output.Length - start;
        var clean = true;
        for (var i = start; i < output.Length; i++)
        {
            if (NeedsEscaping(output[i]))
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            return;
        }
        var buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            output.CopyTo(start, buffer, 0, length);
            output.Length = start;
            AppendEscaped(output, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
