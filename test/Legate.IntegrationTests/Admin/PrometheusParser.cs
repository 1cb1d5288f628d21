using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Legate.IntegrationTests.Admin;

/// <summary>
/// Runs Python's prometheus_client parser (Debian package python3-prometheus-client) over an exposition and
/// returns its families and samples, so the output is checked by a real Prometheus text-format parser.
/// </summary>
internal static class PrometheusParser
{
    public sealed record Sample(string Family, string Name, string Labels, double Value);

    public sealed record Result(Dictionary<string, string> FamilyTypes, List<Sample> Samples)
    {
        public double Value(string name, string labels)
        {
            foreach (var s in Samples)
            {
                // prometheus_client renames counter samples to <family>_total, so the exposition's name is either.
                if ((s.Name == name || s.Family == name) && s.Labels == labels)
                {
                    return s.Value;
                }
            }
            throw new Xunit.Sdk.XunitException($"no sample {name}{{{labels}}} in the parsed exposition");
        }
    }

    public static async Task<Result> ParseAsync(string exposition)
    {
        var script = ScriptPath();
        string? lastError = null;
        // Debian's package lives in the system interpreter's dist-packages; a pyenv/venv python3 on PATH may not see it.
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            var (code, stdout, stderr) = await RunAsync(python, script, exposition);
            if (code == 3 || code < 0)
            {
                lastError = python + ": " + stderr;
                continue;
            }
            Assert.True(code == 0, $"prometheus_client rejected the exposition (exit {code}): {stderr}\n---\n{exposition}");
            return Read(stdout);
        }
        Assert.Fail("python3 with prometheus_client is required (Debian: apt-get install -y python3-prometheus-client). " + lastError);
        throw new InvalidOperationException();
    }

    // The script sits next to this source file (the test project copies only its seed YAML to the output).
    private static string ScriptPath([CallerFilePath] string sourceFile = "")
    {
        foreach (var candidate in new[]
        {
            Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", "prometheus_parse.py"),
            Path.Combine(AppContext.BaseDirectory, "Admin", "prometheus_parse.py"),
        })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("prometheus_parse.py not found next to " + sourceFile);
    }

    private static Result Read(string stdout)
    {
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts[0] == "family")
            {
                families[parts[1]] = parts[2];
            }
            else if (parts[0] == "sample")
            {
                // Label values in these tests contain no spaces.
                samples.Add(new Sample(parts[1], parts[2], parts.Length > 4 ? parts[3] : string.Empty,
                    double.Parse(parts[^1], CultureInfo.InvariantCulture)));
            }
        }
        return new Result(families, samples);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string python, string script, string input)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, string.Empty, e.Message);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
