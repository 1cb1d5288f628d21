using System.Text;
using Legate.Config;

namespace Legate.Formatting;

/// <summary>
/// A compiled strftime-style pattern for <c>%START_TIME(...)%</c>, always rendered in UTC as Envoy does.
/// Besides the C specifiers it knows Envoy's <c>%s</c> (epoch seconds), <c>%f</c>/<c>%1f</c>..<c>%9f</c>
/// (fractional seconds, 9 digits by default) and absl's <c>%E#S</c>/<c>%E*S</c>/<c>%Ez</c>.
/// </summary>
internal sealed class TimeFormat
{
    private static readonly string[] s_shortDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] s_longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] s_shortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] s_longMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    // absl's %Ez (+00:00) gets a private spec character so the switch below stays flat.
    private const char OffsetWithColon = '\u0001';

    // A segment is a literal (Spec == '\0') or a specifier with an optional digit count (fractions).
    private readonly record struct Segment(char Spec, int Digits, string? Literal);

    private readonly Segment[] _segments;

    private TimeFormat(Segment[] segments) => _segments = segments;

    public static TimeFormat Parse(string pattern, string path)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c != '%' || i + 1 >= pattern.Length)
            {
                literal.Append(c);
                continue;
            }
            var start = i;
            i++;
            // Flags and widths (%-d, %_H) are glibc extensions; they are skipped only to detect %n below.
            while (i < pattern.Length && "-_0^#".Contains(pattern[i]))
            {
                i++;
            }
            var digitsStart = i;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                i++;
            }
            var digits = i > digitsStart ? int.Parse(pattern.AsSpan(digitsStart, i - digitsStart), provider: null) : -1;
            var extended = false;
            if (i < pattern.Length && (pattern[i] == 'E' || pattern[i] == 'O'))
            {
                extended = pattern[i] == 'E';
                i++;
            }
            if (extended && i < pattern.Length && (pattern[i] == '*' || char.IsAsciiDigit(pattern[i])))
            {
                digits = pattern[i] == '*' ? -2 : pattern[i] - '0';
                i++;
            }
            if (i >= pattern.Length)
            {
                literal.Append(pattern, start, pattern.Length - start);
                break;
            }
            var spec = pattern[i];
            if (spec == 'n')
            {
                throw new ConfigException(path, "Invalid header configuration. Format string contains newline.");
            }
            if (!IsKnown(spec, digits, extended))
            {
                literal.Append(pattern, start, i - start + 1);
                continue;
            }
            if (spec == '%')
            {
                literal.Append('%');
                continue;
            }
            if (spec == 't')
            {
                literal.Append('\t');
                continue;
            }
            if (literal.Length > 0)
            {
                segments.Add(new Segment('\0', 0, literal.ToString()));
                literal.Clear();
            }
            segments.Add(new Segment(extended && spec == 'z' ? OffsetWithColon : spec, digits, null));
        }
        if (literal.Length > 0)
        {
            segments.Add(new Segment('\0', 0, literal.ToString()));
        }
        return new TimeFormat([.. segments]);
    }

    private static bool IsKnown(char spec, int digits, bool extended)
    {
        if (extended)
        {
            return spec == 'S' || spec == 'z' || spec == 'f';
        }
        if (spec == 'f')
        {
            return digits is -1 or (>= 1 and <= 9);
        }
        return digits == -1 && "YCymdeHIMSpjaAbBhuwszZTDFRrcxXt%".Contains(spec);
    }

    public void Append(StringBuilder output, DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        foreach (var s in _segments)
        {
            if (s.Literal is not null)
            {
                output.Append(s.Literal);
                continue;
            }
            AppendSpec(output, t, s.Spec, s.Digits);
        }
    }

    /// <summary>Envoy's default <c>%START_TIME%</c>: <c>2016-04-15T20:17:00.310Z</c>.</summary>
    public static void AppendDefault(StringBuilder output, DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        AppendDate(output, t);
        output.Append('T');
        AppendClock(output, t);
        output.Append('.');
        NumberWriter.AppendPadded(output, t.Millisecond, 3);
        output.Append('Z');
    }

    private static void AppendSpec(StringBuilder o, DateTime t, char spec, int digits)
    {
        switch (spec)
        {
            case 'Y': NumberWriter.AppendPadded(o, t.Year, 4); break;
            case 'C': NumberWriter.AppendPadded(o, t.Year / 100, 2); break;
            case 'y': NumberWriter.AppendPadded(o, t.Year % 100, 2); break;
            case 'm': NumberWriter.AppendPadded(o, t.Month, 2); break;
            case 'd': NumberWriter.AppendPadded(o, t.Day, 2); break;
            case 'e': NumberWriter.AppendPadded(o, t.Day, 2, ' '); break;
            case 'H': NumberWriter.AppendPadded(o, t.Hour, 2); break;
            case 'I': NumberWriter.AppendPadded(o, t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2); break;
            case 'M': NumberWriter.AppendPadded(o, t.Minute, 2); break;
            case 'S':
                NumberWriter.AppendPadded(o, t.Second, 2);
                if (digits != -1)
                {
                    AppendSecondsFraction(o, t, digits);
                }
                break;
            case 'p': o.Append(t.Hour < 12 ? "AM" : "PM"); break;
            case 'j': NumberWriter.AppendPadded(o, t.DayOfYear, 3); break;
            case 'a': o.Append(s_shortDays[(int)t.DayOfWeek]); break;
            case 'A': o.Append(s_longDays[(int)t.DayOfWeek]); break;
            case 'b' or 'h': o.Append(s_shortMonths[t.Month - 1]); break;
            case 'B': o.Append(s_longMonths[t.Month - 1]); break;
            case 'u': NumberWriter.Append(o, t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek); break;
            case 'w': NumberWriter.Append(o, (int)t.DayOfWeek); break;
            case 's': NumberWriter.Append(o, new DateTimeOffset(t).ToUnixTimeSeconds()); break;
            case 'f': AppendFraction(o, t, digits < 0 ? 9 : digits); break;
            case 'z': o.Append("+0000"); break;
            case OffsetWithColon: o.Append("+00:00"); break;
            case 'Z': o.Append("UTC"); break;
            case 'T': AppendClock(o, t); break;
            case 'D':
                NumberWriter.AppendPadded(o, t.Month, 2);
                o.Append('/');
                NumberWriter.AppendPadded(o, t.Day, 2);
                o.Append('/');
                NumberWriter.AppendPadded(o, t.Year % 100, 2);
                break;
            case 'F': AppendDate(o, t); break;
            case 'R':
                NumberWriter.AppendPadded(o, t.Hour, 2);
                o.Append(':');
                NumberWriter.AppendPadded(o, t.Minute, 2);
                break;
            case 'r':
                AppendSpec(o, t, 'I', -1);
                o.Append(':');
                NumberWriter.AppendPadded(o, t.Minute, 2);
                o.Append(':');
                NumberWriter.AppendPadded(o, t.Second, 2);
                o.Append(' ').Append(t.Hour < 12 ? "AM" : "PM");
                break;
            case 'c':
                o.Append(s_shortDays[(int)t.DayOfWeek]).Append(' ').Append(s_shortMonths[t.Month - 1]).Append(' ');
                NumberWriter.AppendPadded(o, t.Day, 2, ' ');
                o.Append(' ');
                AppendClock(o, t);
                o.Append(' ');
                NumberWriter.AppendPadded(o, t.Year, 4);
                break;
            case 'x': AppendSpec(o, t, 'D', -1); break;
            case 'X': AppendClock(o, t); break;
        }
    }

    private static void AppendDate(StringBuilder o, DateTime t)
    {
        NumberWriter.AppendPadded(o, t.Year, 4);
        o.Append('-');
        NumberWriter.AppendPadded(o, t.Month, 2);
        o.Append('-');
        NumberWriter.AppendPadded(o, t.Day, 2);
    }

    private static void AppendClock(StringBuilder o, DateTime t)
    {
        NumberWriter.AppendPadded(o, t.Hour, 2);
        o.Append(':');
        NumberWriter.AppendPadded(o, t.Minute, 2);
        o.Append(':');
        NumberWriter.AppendPadded(o, t.Second, 2);
    }

    // Nanoseconds within the second; .NET keeps 100 ns ticks, so the last two digits are zero.
    private static long Nanos(DateTime t) => t.Ticks % TimeSpan.TicksPerSecond * 100;

    private static void AppendFraction(StringBuilder o, DateTime t, int digits)
    {
        var value = Nanos(t);
        for (var i = digits; i < 9; i++)
        {
            value /= 10;
        }
        NumberWriter.AppendPadded(o, value, digits);
    }

    // %E#S: a fixed number of fraction digits; %E*S (-2): as many as needed, none for a whole second.
    private static void AppendSecondsFraction(StringBuilder o, DateTime t, int digits)
    {
        if (digits == -2)
        {
            var nanos = Nanos(t);
            if (nanos == 0)
            {
                return;
            }
            var width = 9;
            while (nanos % 10 == 0)
            {
                nanos /= 10;
                width--;
            }
            o.Append('.');
            NumberWriter.AppendPadded(o, nanos, width);
            return;
        }
        if (digits > 0)
        {
            o.Append('.');
            AppendFraction(o, t, digits);
        }
    }
}
