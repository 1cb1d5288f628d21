using System.Text;

namespace Legate.Logging;

/// <summary>
/// C-style escaping for --log-format-escaped, so one event stays on one line: \n \r \t \\ \" \' get a
/// backslash form, other control characters and every byte of non-ASCII UTF-8 become a three-digit octal escape.
/// </summary>
internal static class LogEscaper
{
    public static void EscapeInPlace(StringBuilder sb, int start)
    {
        if (!NeedsEscape(sb, start))
        {
            return;
        }

        string raw = sb.ToString(start, sb.Length - start);
        sb.Length = start;
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            switch (c)
            {
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '"': sb.Append("\\\""); continue;
                case '\'': sb.Append("\\'"); continue;
            }

            if (c >= 0x20 && c < 0x7f)
            {
                sb.Append(c);
                continue;
            }

            int length;
            if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                length = Encoding.UTF8.GetBytes(raw.AsSpan(i, 2), utf8);
                i++;
            }
            else
            {
                length = Encoding.UTF8.GetBytes(raw.AsSpan(i, 1), utf8);
            }

            for (int b = 0; b < length; b++)
            {
                AppendOctal(sb, utf8[b]);
            }
        }
    }

    private static bool NeedsEscape(StringBuilder sb, int start)
    {
        for (int i = start; i < sb.Length; i++)
        {
            char c = sb[i];
            if (c < 0x20 || c >= 0x7f || c == '\\' || c == '"' || c == '\'')
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendOctal(StringBuilder sb, byte value)
    {
        sb.Append('\\')
            .Append((char)('0' + ((value >> 6) & 7)))
            .Append((char)('0' + ((value >> 3) & 7)))
            .Append((char)('0' + (value & 7)));
    }
}
