using System.Runtime.CompilerServices;

namespace Legate.IntegrationTests.XdsInterop;

/// <summary>Locates node and the npm-installed interop server; fails the test with what to do when either is missing.</summary>
internal static class NodeTooling
{
    private const string InstallHint = "run `bash test/wire-compat/install.sh` (needs node and npm: apt-get install -y nodejs npm)";

    /// <summary>test/xds-interop in the source tree (found from this file's compile-time path, wherever the binaries land).</summary>
    public static string InteropDirectory { get; } = FindInteropDirectory();

    /// <summary>The node executable on PATH.</summary>
    public static string Node()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "node", "node.exe" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        Assert.Fail("node is not on PATH: the xDS interop tests run a Node.js management server; " + InstallHint);
        return string.Empty;
    }

    /// <summary>Fails unless test/xds-interop/node_modules holds what server.js needs.</summary>
    public static void RequireInstalled()
    {
        var marker = Path.Combine(InteropDirectory, "node_modules", "@grpc", "grpc-js-xds", "deps", "envoy-api");
        if (!Directory.Exists(marker))
        {
            Assert.Fail("the xDS interop server's npm packages are not installed (" + marker + " is missing): " + InstallHint);
        }
    }

    private static string FindInteropDirectory([CallerFilePath] string thisFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "test", "xds-interop");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find test/xds-interop/server.js above " + thisFile);
    }
}
