using System.Text;

namespace Legate.Logging;

/// <summary>
/// An spdlog-style pattern compiled once into segments. Supported flags: %Y %y %m %d %H %I %M %S %e %f %F
/// %p %T %D %R %z %E (time), %t thread, %P process, %l level, %L short level, %n component, %g/%s category
/// (stands in for the source file), %# event id (stands in for the line), %v message, %% literal percent;
/// %^ and %$ (colour range) print nothing. An optional width with alignment (%8l, %-8l, %=8l) pads a field.
/// Unknown flags are printed literally.
/// </summary>
public sealed class LogPattern
{
    /// <summary>Envoy's default --log-format.</summary>
    public const string DefaultFormat = "[%Y-%m-%d %T.%e][%t][%l][%n] [%g:%#] %v";

    private readonly Segment[] _segments;

    private LogPattern(string pattern, bool escaped, Segment[] segments)
    {
        Pattern = pattern;
        Escaped = escaped;
        _segments = segments;
    }

    public string Pattern { get; }

    /// <summary>When set (--log-format-escaped), C-style escape sequences in the line are escaped.</summary>
    public bool Escaped { get; }

    public static LogPattern Parse(string pattern, bool escaped = false)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c != '%' || i + 1 >= pattern.Length)
            {
                literal.Append(c);
                i++;
                continue;
            }

            int flagStart = i;
            i++;
            Align align = Align.Right;
            if (pattern[i] is '-' or '=')
            {
                align = pattern[i] == '-' ? Align.Left : Align.Center;
                i++;
            }

            int width = 0;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]) && width < 1000)
            {
                width = width * 10 + (pattern[i] - '0');
                i++;
            }

            if (i >= pattern.Length)
            {
                literal.Append(pattern, flagStart, i - flagStart);
                break;
            }

            char flag = pattern[i];
            i++;
            FieldKind? kind = KindOf(flag);
            if (kind is null)
            {
                literal.Append(pattern, flagStart, i - flagStart);
                continue;
            }

            if (kind == FieldKind.Percent)
            {
                literal.Append('%');
                continue;
            }

            if (kind == FieldKind.Nothing)
            {
                continue;
            }

            FlushLiteral(segments, literal);
            segments.Add(new Segment(kind.Value, null, width, align));
        }

        FlushLiteral(segments, literal);
        return new LogPattern(pattern, escaped, segments.ToArray());
    }

    /// <summary>Formats one record as a line without the trailing newline.</summary>
    public string Format(in LogRecord record)
    {
        var sb = new StringBuilder(128);
        Append(sb, record);
        return sb.ToString();
    }

    /// <summary>Appends one formatted record (no trailing newline) to <paramref name="output"/>.</summary>
    public void Append(StringBuilder output, in LogRecord record)
    {
        int lineStart = output.Length;
        foreach (ref readonly Segment segment in _segments.AsSpan())
        {
            if (segment.Kind == FieldKind.Literal)
            {
                output.Append(segment.Literal);
                continue;
            }

            int fieldStart = output.Length;
            AppendField(output, segment.Kind, record);
            if (segment.Width > 0)
            {
                Pad(output, fieldStart, segment.Width, segment.Align);
            }
        }

        if (Escaped)
        {
            LogEscaper.EscapeInPlace(output, lineStart);
        }
    }

    private static void AppendField(StringBuilder sb, FieldKind kind, in LogRecord r)
    {
        DateTimeOffset t = r.Timestamp;
        switch (kind)
        {
            case FieldKind.Year: AppendDigits(sb, t.Year, 4); break;
            case FieldKind.Year2: AppendDigits(sb, t.Year % 100, 2); break;
            case FieldKind.Month: AppendDigits(sb, t.Month, 2); break;
            case FieldKind.Day: AppendDigits(sb, t.Day, 2); break;
            case FieldKind.Hour: AppendDigits(sb, t.Hour, 2); break;
            case FieldKind.Hour12: AppendDigits(sb, t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2); break;
            case FieldKind.Minute: AppendDigits(sb, t.Minute, 2); break;
            case FieldKind.Second: AppendDigits(sb, t.Second, 2); break;
            case FieldKind.Millis: AppendDigits(sb, t.Millisecond, 3); break;
            case FieldKind.Micros: AppendDigits(sb, (int)(t.Ticks % TimeSpan.TicksPerSecond / 10), 6); break;
            case FieldKind.Nanos: AppendDigits(sb, (int)(t.Ticks % TimeSpan.TicksPerSecond * 100), 9); break;
            case FieldKind.AmPm: sb.Append(t.Hour < 12 ? "AM" : "PM"); break;
            case FieldKind.Time:
                AppendDigits(sb, t.Hour, 2).Append(':');
                AppendDigits(sb, t.Minute, 2).Append(':');
                AppendDigits(sb, t.Second, 2);
                break;
            case FieldKind.ShortTime:
                AppendDigits(sb, t.Hour, 2).Append(':');
                AppendDigits(sb, t.Minute, 2);
                break;
            case FieldKind.Date:
                AppendDigits(sb, t.Month, 2).Append('/');
                AppendDigits(sb, t.Day, 2).Append('/');
                AppendDigits(sb, t.Year % 100, 2);
                break;
            case FieldKind.TzOffset:
                TimeSpan offset = t.Offset;
                sb.Append(offset < TimeSpan.Zero ? '-' : '+');
                offset = offset.Duration();
                AppendDigits(sb, offset.Hours, 2).Append(':');
                AppendDigits(sb, offset.Minutes, 2);
                break;
            case FieldKind.Epoch: sb.Append(t.ToUnixTimeSeconds()); break;
            case FieldKind.Thread: sb.Append(r.ThreadId); break;
            case FieldKind.Process: sb.Append(Environment.ProcessId); break;
            case FieldKind.Level: sb.Append(EnvoyLogLevels.Name(r.Level)); break;
            case FieldKind.ShortLevel: sb.Append(EnvoyLogLevels.ShortName(r.Level)); break;
            case FieldKind.Name: sb.Append(r.Component); break;
            case FieldKind.Source: sb.Append(r.Category); break;
            case FieldKind.Line: sb.Append(r.EventId); break;
            case FieldKind.Message: sb.Append(r.Message); break;
        }
    }

    private static StringBuilder AppendDigits(StringBuilder sb, long value, int digits)
    {
        // Fixed-width, zero-padded without a format string allocation.
        Span<char> buffer = stackalloc char[20];
        int n = 0;
        do
        {
            buffer[n++] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value > 0);

        for (int pad = n; pad < digits; pad++)
        {
            sb.Append('0');
        }

        for (int k = n - 1; k >= 0; k--)
        {
            sb.Append(buffer[k]);
        }

        return sb;
    }

    private static void Pad(StringBuilder sb, int start, int width, Align align)
    {
        int missing = width - (sb.Length - start);
        if (missing <= 0)
        {
            return;
        }

        switch (align)
        {
            case Align.Left:
                sb.Append(' ', missing);
                break;
            case Align.Center:
                int left = missing / 2;
                sb.Insert(start, " ", left);
                sb.Append(' ', missing - left);
                break;
            default:
                sb.Insert(start, " ", missing);
                break;
        }
    }

    private static void FlushLiteral(List<Segment> segments, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            segments.Add(new Segment(FieldKind.Literal, literal.ToString(), 0, Align.Right));
            literal.Clear();
        }
    }

    private static FieldKind? KindOf(char flag) => flag switch
    {
        'Y' => FieldKind.Year,
        'y' => FieldKind.Year2,
        'm' => FieldKind.Month,
        'd' => FieldKind.Day,
        'H' => FieldKind.Hour,
        'I' => FieldKind.Hour12,
        'M' => FieldKind.Minute,
        'S' => FieldKind.Second,
        'e' => FieldKind.Millis,
        'f' => FieldKind.Micros,
        'F' => FieldKind.Nanos,
        'p' => FieldKind.AmPm,
        'T' or 'X' => FieldKind.Time,
        'R' => FieldKind.ShortTime,
        'D' or 'x' => FieldKind.Date,
        'z' => FieldKind.TzOffset,
        'E' => FieldKind.Epoch,
        't' => FieldKind.Thread,
        'P' => FieldKind.Process,
        'l' => FieldKind.Level,
        'L' => FieldKind.ShortLevel,
        'n' => FieldKind.Name,
        'g' or 's' => FieldKind.Source,
        '#' => FieldKind.Line,
        'v' => FieldKind.Message,
        '%' => FieldKind.Percent,
        '^' or '$' => FieldKind.Nothing,
        _ => null,
    };

    private enum Align
    {
        Right,
        Left,
        Center,
    }

    private enum FieldKind
    {
        Literal,
        Percent,
        Nothing,
        Year,
        Year2,
        Month,
        Day,
        Hour,
        Hour12,
        Minute,
        Second,
        Millis,
        Micros,
        Nanos,
        AmPm,
        Time,
        ShortTime,
        Date,
        TzOffset,
        Epoch,
        Thread,
        Process,
        Level,
        ShortLevel,
        Name,
        Source,
        Line,
        Message,
    }

    private readonly record struct Segment(FieldKind Kind, string? Literal, int Width, Align Align);
}
