using System.Reflection;

namespace Legate.WireCompat.Tests;

/// <summary>Where the sources this test compares live: our api/ and the upstream protos installed by npm.</summary>
internal static class RepoPaths
{
    public const string InstallScript = "test/wire-compat/install.sh";

    public static string Root { get; } = FindRoot();

    public static string Api => Path.Combine(Root, "api");

    /// <summary>The upstream proto trees shipped by @grpc/grpc-js-xds (envoy-api, xds, googleapis, protoc-gen-validate).</summary>
    public static string UpstreamDeps =>
        Path.Combine(Root, "test", "wire-compat", "node", "node_modules", "@grpc", "grpc-js-xds", "deps");

    /// <summary>Not committed (see .gitignore): the list of upstream fields we do not define, rewritten by every run.</summary>
    public static string ReportDirectory => Path.Combine(Root, "test", "wire-compat", "out");

    private static string FindRoot()
    {
        foreach (var attribute in typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (attribute.Key == "RepoRoot" && attribute.Value is { Length: > 0 } root && File.Exists(Path.Combine(root, "Legate.slnx")))
            {
                return root;
            }
        }
        // The build stamps the root in; walking up covers a copied test assembly run from inside the tree.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Legate.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Legate.slnx) from " + AppContext.BaseDirectory);
    }
}
