using System.Diagnostics;

namespace Legate.IntegrationTests.Support;

/// <summary>curl on PATH, if any; tests that need it return early without it.</summary>
public static class Curl
{
    private const string Marker = "\n@@curl@@";

    public static bool Available { get; } = Find() is not null;

    public sealed record Result(int Status, string HttpVersion, string Body);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Find()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-sS");
        info.ArgumentList.Add("--max-time");
        info.ArgumentList.Add("15");
        info.ArgumentList.Add("-w");
        info.ArgumentList.Add(Marker + "%{http_code} %{http_version}");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        Assert.True(process.ExitCode == 0, "curl failed: " + await stderr);
        var at = output.LastIndexOf(Marker, StringComparison.Ordinal);
        var tail = output[(at + Marker.Length)..].Split(' ');
        return new Result(int.Parse(tail[0], System.Globalization.CultureInfo.InvariantCulture), tail[1], output[..at]);
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "curl");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
