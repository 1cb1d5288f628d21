namespace Legate.Server;

/// <summary>
/// The outcome of <see cref="CommandLine.Parse"/>. The caller prints <see cref="Output"/> verbatim (to stderr
/// when <see cref="OutputToStandardError"/>) and exits with <see cref="ExitCode"/>, unless the action is
/// <see cref="CommandLineAction.Serve"/>.
/// </summary>
public sealed class CommandLineResult
{
    private CommandLineResult(
        CommandLineAction action, ServerOptions? options, string output, bool toStderr, int exitCode, string? error,
        IReadOnlyList<string> warnings)
    {
        Action = action;
        Options = options;
        Output = output;
        OutputToStandardError = toStderr;
        ExitCode = exitCode;
        Error = error;
        Warnings = warnings;
    }

    public CommandLineAction Action { get; }

    /// <summary>The parsed options; non-null exactly when <see cref="Action"/> is Serve.</summary>
    public ServerOptions? Options { get; }

    /// <summary>Text to print as is (newlines included); empty for Serve.</summary>
    public string Output { get; }

    public bool OutputToStandardError { get; }

    /// <summary>0 for Serve and the print actions, 1 for Error.</summary>
    public int ExitCode { get; }

    /// <summary>The error message (first line(s) of <see cref="Output"/>) when the action is Error.</summary>
    public string? Error { get; }

    /// <summary>Envoy logs these at warning once logging is set up (e.g. the deprecated --allow-unknown-fields).</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal static CommandLineResult Serve(ServerOptions options, IReadOnlyList<string> warnings) =>
        new(CommandLineAction.Serve, options, "", false, 0, null, warnings);

    internal static CommandLineResult Print(CommandLineAction action, string output, bool toStderr = false) =>
        new(action, null, output, toStderr, 0, null, []);

    internal static CommandLineResult Fail(string error, string output) =>
        new(CommandLineAction.Error, null, output, true, 1, error, []);
}
