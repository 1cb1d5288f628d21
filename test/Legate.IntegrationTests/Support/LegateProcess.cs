using System.Diagnostics;
using System.Text;

namespace Legate.IntegrationTests.Support;

/// <summary>
/// The real <c>legate</c> executable run as a child process: the native AOT binary named by
/// <c>LEGATE_EXECUTABLE</c> when test.sh sets it, otherwise the JIT build (<c>dotnet legate.dll ...</c>).
/// </summary>
public sealed class LegateProcess : IAsyncDisposable
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private LegateProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => Process.HasExited;

    /// <summary>The native executable under test, or null when the tests run the JIT build.</summary>
    public static string? NativeExecutable { get; } = Environment.GetEnvironmentVariable("LEGATE_EXECUTABLE") is { Length: > 0 } path
        ? (File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException("LEGATE_EXECUTABLE does not exist", path))
        : null;

    public static LegateProcess Start(params string[] args) => StartWithEnvironment(new Dictionary<string, string>(), args);

    /// <summary>Like <see cref="Start"/>, with extra environment variables for the child.</summary>
    public static LegateProcess StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(NativeExecutable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (NativeExecutable is null)
        {
            info.ArgumentList.Add(LegateDll.Value);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new LegateProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(result._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(result._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Runs to completion (killing it after <paramref name="timeout"/>) and returns exit code and output.</summary>
    public static async Task<CliResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var process = Start(args);
        var code = await process.WaitForExitAsync(timeout);
        return new CliResult(code, process.Stdout, process.Stderr);
    }

    /// <summary>Waits for exit; kills the process and fails when it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            throw new TimeoutException($"legate did not exit within {timeout}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        // The parameterless wait drains the redirected output streams.
        await Process.WaitForExitAsync();
        return Process.ExitCode;
    }

    /// <summary>SIGTERM (Process.Kill would be SIGKILL).</summary>
    public void SendSigterm()
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException("kill -TERM failed with " + kill.ExitCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            target.Append(line).Append('\n');
        }
    }

    private static readonly Lazy<string> LegateDll = new(FindLegateDll);

    /// <summary>The runtime settings the JIT build of the executable starts with (the native build bakes in the same ones).</summary>
    public static string RuntimeConfigPath => Path.ChangeExtension(LegateDll.Value, ".runtimeconfig.json");

    private static string FindLegateDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "legate.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "legate.runtimeconfig.json")))
        {
            return local;
        }
        // Artifacts layout (bin/<project>/<config>/) or classic (src/Legate.Cli/bin/<config>/<tfm>/).
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "Legate.Cli"), Path.Combine(dir.FullName, "src", "Legate.Cli", "bin") })
            {
                if (!Directory.Exists(candidate))
                {
                    continue;
                }
                foreach (var file in Directory.EnumerateFiles(candidate, "legate.dll", SearchOption.AllDirectories))
                {
                    if (File.Exists(Path.Combine(Path.GetDirectoryName(file)!, "legate.runtimeconfig.json")))
                    {
                        return file;
                    }
                }
            }
        }
        throw new FileNotFoundException("legate.dll (with legate.runtimeconfig.json) not found near " + AppContext.BaseDirectory);
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
