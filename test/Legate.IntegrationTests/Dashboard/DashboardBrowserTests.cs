using System.Buffers.Binary;
using System.Diagnostics;
using Legate.Admin.Dashboard;
using Legate.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Legate.IntegrationTests.Dashboard;

/// <summary>
/// The acceptance check: after traffic, /dashboard loads in headless Chromium (driven by
/// test/dashboard/dashboard-test.js) and shows a non-empty request-rate plot. The screenshots stay in
/// the test output directory under dashboard-artifacts/.
/// </summary>
public sealed class DashboardBrowserTests
{
    private readonly ITestOutputHelper _output;

    public DashboardBrowserTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Dashboard_shows_a_non_empty_request_rate_plot_in_headless_chromium()
    {
        var tools = BrowserTools.Locate();
        await using var rig = await DashboardRig.StartAsync();
        await rig.StartAdminAsync();
        var sampler = DashboardSampler.For(rig.Admin.Context);

        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(() => SendTrafficAsync(rig, stop.Token));
        try
        {
            // A few seconds of samples with traffic, so the plot has a shape and not a single point.
            Assert.True(
                await Eventually.TrueAsync(() => BusySamples(sampler) >= 6, TimeSpan.FromSeconds(30)),
                "the sampler recorded no traffic");

            var artifacts = Path.Combine(AppContext.BaseDirectory, "dashboard-artifacts");
            Directory.CreateDirectory(artifacts);
            var light = Path.Combine(artifacts, "dashboard.png");
            var dark = Path.Combine(artifacts, "dashboard-dark.png");
            File.Delete(light);
            File.Delete(dark);
            var url = rig.AdminBase + "/dashboard?window=60";
            var (exitCode, output) = await RunAsync(tools, [tools.Script, url, light, "--dark", dark, "--timeout", "30000"]);
            _output.WriteLine(output);

            Assert.True(exitCode == 0, "dashboard-test.js exited with " + exitCode + ":\n" + output);
            AssertScreenshot(light);
            AssertScreenshot(dark);
        }
        finally
        {
            await stop.CancelAsync();
            await traffic;
        }
    }

    private static int BusySamples(DashboardSampler sampler)
    {
        var busy = 0;
        foreach (var sample in sampler.SamplesSince(0))
        {
            if (sample.HcmRates.Length > 0 && sample.HcmRates[0] > 0)
            {
                busy++;
            }
        }
        return busy;
    }

    // A wavy load with some 404s and 503s, so every plot on the page has something to show.
    private static async Task SendTrafficAsync(DashboardRig rig, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var round = 0; !cancellationToken.IsCancellationRequested; round++)
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var ok = 2 + (int)(2 * (1 + Math.Sin(seconds * 1.3)));
            try
            {
                await rig.SendAsync(ok, notFound: round % 5 == 0 ? 1 : 0, failed: round % 9 == 0 ? 1 : 0);
                await Task.Delay(60, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(BrowserTools tools, string[] arguments)
    {
        var start = new ProcessStartInfo(tools.Node)
        {
            WorkingDirectory = tools.ScriptDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["CHROMIUM_PATH"] = tools.Chromium;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + tools.Node);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "timed out after 90 s\n" + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static void AssertScreenshot(string path)
    {
        Assert.True(File.Exists(path), "no screenshot at " + path);
        var bytes = File.ReadAllBytes(path);
        // A PNG signature, then IHDR with the width and height.
        Assert.True(bytes.Length > 24 && bytes[0] == 0x89 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', path + " is not a PNG");
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        Assert.True(width >= 1000 && height >= 800, $"screenshot is {width}x{height}");
        // A blank page compresses to a few kilobytes; charts, tables and text do not.
        Assert.True(bytes.Length > 40_000, $"screenshot is only {bytes.Length} bytes");
    }
}
