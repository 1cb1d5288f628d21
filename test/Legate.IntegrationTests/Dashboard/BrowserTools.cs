using System.Runtime.CompilerServices;

namespace Legate.IntegrationTests.Dashboard;

/// <summary>
/// Finds what the browser test needs: node on PATH, Debian's Chromium and playwright-core installed in
/// test/dashboard by its install.sh. Missing pieces fail the test with the command that installs them.
/// </summary>
internal sealed record BrowserTools(string Node, string Chromium, string ScriptDirectory)
{
    public string Script => Path.Combine(ScriptDirectory, "dashboard-test.js");

    public static BrowserTools Locate()
    {
        var scriptDirectory = FindScriptDirectory()
            ?? throw new InvalidOperationException("test/dashboard/dashboard-test.js not found above " + AppContext.BaseDirectory);
        var missing = new List<string>();
        var node = FindOnPath("node");
        if (node is null)
        {
            missing.Add("node (Node.js) is not on PATH");
        }
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            missing.Add("Chromium is not at " + chromium + " (Debian packages chromium and chromium-driver)");
        }
        if (!File.Exists(Path.Combine(scriptDirectory, "node_modules", "playwright-core", "package.json")))
        {
            missing.Add("playwright-core is not installed in " + scriptDirectory);
        }
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "The dashboard browser test cannot run: " + string.Join("; ", missing) + ". Run " + Path.Combine(scriptDirectory, "install.sh") + ".");
        }
        return new BrowserTools(node!, chromium, scriptDirectory);
    }

    // The output directory is normally inside the checkout; with --artifacts-path elsewhere, this file's
    // own source path (test/Legate.IntegrationTests/Dashboard/) still leads to test/dashboard.
    private static string? FindScriptDirectory([CallerFilePath] string sourceFile = "")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "test", "dashboard");
            if (File.Exists(Path.Combine(candidate, "dashboard-test.js")))
            {
                return candidate;
            }
        }
        if (sourceFile.Length > 0)
        {
            var candidate = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "..", "dashboard"));
            if (File.Exists(Path.Combine(candidate, "dashboard-test.js")))
            {
                return candidate;
            }
        }
        return null;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }
        return null;
    }
}
