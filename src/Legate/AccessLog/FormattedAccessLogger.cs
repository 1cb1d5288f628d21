using System.Text;
using Legate.Formatting;

namespace Legate.AccessLog;

/// <summary>
/// Formats each finished stream with a compiled format and writes the line to a shared destination.
/// The line builder is per thread, so logging allocates nothing in the steady state.
/// </summary>
public sealed class FormattedAccessLogger : IAccessLogger
{
    [ThreadStatic]
    private static StringBuilder? t_line;

    public FormattedAccessLogger(ISubstitutionFormatter formatter, AccessLogFile file)
    {
        Formatter = formatter;
        File = file;
    }

    public ISubstitutionFormatter Formatter { get; }

    public AccessLogFile File { get; }

    public void Log(in FormatContext context)
    {
        var line = t_line ??= new StringBuilder(512);
        line.Clear();
        Formatter.Format(context, line);
        File.Write(line);
        // A huge line (a long header) should not pin its memory to this thread forever.
        if (line.Capacity > 64 * 1024)
        {
            t_line = null;
        }
    }
}
