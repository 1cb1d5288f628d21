using System.Text;

namespace Legate.Server;

/// <summary>The --help text and the brief usage printed after a parse error, laid out like Envoy's (TCLAP's).</summary>
public static class CommandLineUsage
{
    private const int Width = 75;

    /// <summary>The complete usage text printed by --help.</summary>
    public static string Usage { get; } = BuildUsage();

    /// <summary>What follows a parse error: a one-paragraph synopsis and a pointer to --help.</summary>
    public static string BriefUsage { get; } = BuildBrief();

    private static string BuildUsage()
    {
        var sb = new StringBuilder();
        sb.Append("\nUSAGE: \n\n");
        AppendSynopsis(sb);
        sb.Append("\n\nWhere: \n\n");
        foreach (CommandLineFlag flag in CommandLineFlag.All)
        {
            AppendEntry(sb, Label(flag), flag.Description);
        }

        AppendEntry(sb, "--,  --ignore_rest", "Ignore every argument after this one");
        AppendEntry(sb, "--version", "Print version information and exit");
        AppendEntry(sb, "-h,  --help", "Print this usage text and exit");
        sb.Append('\n');
        sb.Append("   ").Append(LegateVersion.ProgramName).Append("\n\n");
        return sb.ToString();
    }

    private static string BuildBrief()
    {
        var sb = new StringBuilder();
        sb.Append("\nBrief USAGE: \n");
        AppendSynopsis(sb);
        sb.Append("\n\nFor complete USAGE and HELP type: \n   ")
            .Append(LegateVersion.ProgramName).Append(" --help\n\n");
        return sb.ToString();
    }

    private static void AppendSynopsis(StringBuilder sb)
    {
        var words = new List<string>();
        foreach (CommandLineFlag flag in CommandLineFlag.All)
        {
            string name = flag.ShortName is { } s ? $"-{s}" : $"--{flag.Name}";
            string item = flag.Kind == FlagKind.Switch ? $"[{name}]" : $"[{name} <{flag.ValueType}>]";
            words.Add(flag.Kind == FlagKind.Repeated ? item + " ..." : item);
        }

        words.Add("[--]");
        words.Add("[--version]");
        words.Add("[-h]");
        string prefix = "   " + LegateVersion.ProgramName + "  ";
        AppendWrapped(sb, prefix, new string(' ', prefix.Length + 1), words);
    }

    private static void AppendEntry(StringBuilder sb, string label, string description)
    {
        sb.Append("   ").Append(label).Append('\n');
        AppendWrapped(sb, "     ", "     ", description.Split(' '));
        sb.Append("\n\n");
    }

    private static string Label(CommandLineFlag flag)
    {
        string value = flag.Kind == FlagKind.Switch ? "" : $" <{flag.ValueType}>";
        string label = flag.ShortName is { } s ? $"-{s}{value},  --{flag.Name}{value}" : $"--{flag.Name}{value}";
        return flag.Kind == FlagKind.Repeated ? label + "  (accepted multiple times)" : label;
    }

    // Greedy word wrap; a word longer than the line is put on a line of its own rather than split.
    private static void AppendWrapped(StringBuilder sb, string firstIndent, string indent, IEnumerable<string> words)
    {
        sb.Append(firstIndent);
        int column = firstIndent.Length;
        bool lineEmpty = true;
        foreach (string word in words)
        {
            if (!lineEmpty && column + 1 + word.Length > Width)
            {
                sb.Append('\n').Append(indent);
                column = indent.Length;
                lineEmpty = true;
            }

            if (!lineEmpty)
            {
                sb.Append(' ');
                column++;
            }

            sb.Append(word);
            column += word.Length;
            lineEmpty = false;
        }
    }
}
